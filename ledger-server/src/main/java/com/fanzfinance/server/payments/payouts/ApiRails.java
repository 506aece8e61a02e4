package com.fanzfinance.server.payments.payouts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.payouts.btc.BitcoinRail;
import com.fanzfinance.payouts.evm.Erc20Rail;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.AccountProvider;
import com.fanzfinance.server.payments.Fields;

/**
 * The rails payouts go through by API calls rather than files (PAYMENTS-API §1, §6): {@code paxum}, {@code wise},
 * {@code usdc_evm} (an ERC-20 token such as USDC or USDT on an EVM chain) and {@code btc}. Here: their accounts'
 * settings, secrets and checks, the currencies they pay in, and the payee details each needs. Their drivers are in
 * {@code payout-rails}; {@link RailRunner} drives them.
 */
public final class ApiRails {
    public static final String PAXUM = "paxum";
    public static final String WISE = "wise";
    public static final String USDC_EVM = "usdc_evm";
    public static final String BTC = "btc";
    public static final Set<String> ALL = Set.of(PAXUM, WISE, USDC_EVM, BTC);

    private ApiRails() {
    }

    static boolean isApiRail(String rail) {
        return ALL.contains(rail);
    }

    /** The currencies a rail pays in (empty: any the account lists). */
    static Set<String> currencies(String rail) {
        return switch (rail) {
            case USDC_EVM -> Set.of("USDC", "USDT");
            case BTC -> Set.of("BTC");
            default -> Set.of();
        };
    }

    static List<AccountProvider> providers() {
        return List.of(
            provider(PAXUM, List.of(
                SettingSpec.required("from_email", "the e-mail of the Paxum account payouts are paid from"),
                SettingSpec.optional("api", "https://secure.paxum.com", "base URL of Paxum's payment API"),
                SettingSpec.optional("api_v2", "https://api.paxum.com", "base URL of Paxum's Payment API 2.0 (transaction history)"),
                SettingSpec.required("account_id", "the Paxum account id whose transaction history is checked before any retry"),
                SettingSpec.optional("api_key_header", "X-Api-Key", "header carrying the API 2.0 key (unconfirmed by Paxum's public docs)"),
                SettingSpec.optional("signature_header", "X-Signature", "header carrying the API 2.0 signature (unconfirmed)"),
                SettingSpec.optional("retry_after_seconds", "600",
                    "with resend_when_history_empty: how long after the attempt the history must still show nothing (at least 300)"),
                SettingSpec.optional("resend_when_history_empty", "false",
                    "true: a transfer whose answer was lost and that the history does not show is sent again; false: a person decides")),
                List.of(SecretSpec.required("shared_secret", "the payment API's shared secret (request keys are MD5 of it and the fields)"),
                    SecretSpec.required("api_key", "Payment API 2.0 key"),
                    SecretSpec.required("api_secret", "Payment API 2.0 secret (HMAC-SHA256 signatures)"))),
            provider(WISE, List.of(
                SettingSpec.required("profile_id", "the Wise business profile payouts are paid from"),
                SettingSpec.required("environment", "sandbox or production: the API host and the webhook key (no default: money moves)"),
                SettingSpec.optional("api_base_url", null, "overrides the environment's API host"),
                SettingSpec.optional("source_currency", null, "the balance currency paid from (default: the payout's currency)"),
                SettingSpec.optional("webhook_public_key_pem", null, "overrides Wise's webhook signing key of the environment")),
                List.of(SecretSpec.required("api_token", "the API token (Authorization: Bearer)"))),
            provider(USDC_EVM, List.of(
                SettingSpec.required("rpc_url", "the chain's JSON-RPC endpoint"),
                SettingSpec.required("chain_id", "the chain id (EIP-155): 1 mainnet, 137 Polygon, 31337 a local anvil"),
                SettingSpec.required("token_contract", "the ERC-20 token contract address"),
                SettingSpec.optional("confirmations", "12", "blocks on top of the transfer's before the payout is settled"),
                SettingSpec.optional("keystore_file", null, "the hot wallet's keystore JSON file (with the secret keystore_password)"),
                SettingSpec.optional("gas_limit", null, "gas limit of a transfer (default: the node's estimate plus 20 %)"),
                SettingSpec.optional("max_priority_fee_wei", "1500000000", "the tip per gas (EIP-1559)"),
                SettingSpec.optional("max_fee_cap_wei", "200000000000", "the highest max fee per gas ever offered, also when replacing"),
                SettingSpec.optional("replace_after_seconds", "300", "a transfer not mined after this is replaced with higher fees")),
                List.of(SecretSpec.optional("keystore_password", "the password of keystore_file"),
                    SecretSpec.optional("signing_key", "the hot wallet's private key in hex (instead of a keystore file)"))),
            provider(BTC, List.of(
                SettingSpec.required("network", "mainnet, testnet, signet or regtest"),
                SettingSpec.required("esplora_url", "an Esplora-compatible REST endpoint (UTXOs, broadcast, confirmations)"),
                SettingSpec.optional("fee_rate_sat_vb", null, "a fixed fee rate in sat/vB (else the endpoint's estimate)"),
                SettingSpec.optional("fee_target_blocks", "6", "the confirmation target of the fee estimate"),
                SettingSpec.optional("max_fee_rate_sat_vb", "200", "the highest fee rate ever paid"),
                SettingSpec.optional("confirmations", "3", "blocks before the payout is settled"),
                SettingSpec.optional("min_change_sat", "294", "change below this goes to the fee rather than making dust"),
                SettingSpec.optional("history_scan_pages", "40", "pages of the hot wallet's history searched for a payout whose state was lost; a longer history leaves it unknown for a person")),
                List.of(SecretSpec.required("signing_key", "the hot wallet's private key (WIF)"))));
    }

    private static AccountProvider provider(String name, List<SettingSpec> settings, List<SecretSpec> secrets) {
        return new AccountProvider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<SettingSpec> settings() {
                return settings;
            }

            @Override
            public List<SecretSpec> secrets() {
                return secrets;
            }

            @Override
            public List<String> accountProblems(MerchantAccount view) {
                return ApiRails.accountProblems(name, view);
            }
        };
    }

    static List<String> accountProblems(String rail, MerchantAccount view) {
        List<String> problems = new ArrayList<>();
        Set<String> allowed = currencies(rail);
        if (!allowed.isEmpty() && (view.currencies().size() != 1 || !allowed.contains(view.currencies().get(0)))) {
            problems.add("a " + rail + " account pays in one of " + new java.util.TreeSet<>(allowed)
                + ": currencies must be one of them");
        }
        positive(problems, view, "retry_after_seconds");
        view.setting("retry_after_seconds").filter(value -> value.matches("[0-9]{1,9}") && Long.parseLong(value) < 300)
            .ifPresent(value -> problems.add("retry_after_seconds must be at least 300"));
        view.setting("resend_when_history_empty").filter(value -> !value.equals("true") && !value.equals("false"))
            .ifPresent(value -> problems.add("resend_when_history_empty must be true or false"));
        positive(problems, view, "confirmations");
        positive(problems, view, "replace_after_seconds");
        positive(problems, view, "fee_target_blocks");
        positive(problems, view, "chain_id");
        positive(problems, view, "gas_limit");
        for (String url : List.of("api", "api_v2", "api_base_url", "rpc_url", "esplora_url")) {
            view.setting(url).flatMap(ApiRails::urlProblem).ifPresent(problem -> problems.add(url + " " + problem));
        }
        switch (rail) {
            case WISE -> {
                if (!view.setting("profile_id", "").matches("[0-9]{1,20}")) {
                    problems.add("profile_id must be Wise's numeric profile id");
                }
                if (!List.of("sandbox", "production").contains(view.setting("environment", ""))) {
                    problems.add("environment must be sandbox or production");
                }
            }
            case USDC_EVM -> {
                if (!view.setting("token_contract", "").matches("0x[0-9a-fA-F]{40}")) {
                    problems.add("token_contract must be an address (0x and 40 hex digits)");
                }
                boolean keystore = view.setting("keystore_file").isPresent();
                boolean key = view.secrets().current("signing_key").isPresent();
                if (keystore == key) {
                    problems.add("give the hot wallet's key either as keystore_file (with the secret keystore_password)"
                        + " or as the secret signing_key");
                }
                if (keystore && view.secrets().current("keystore_password").isEmpty()) {
                    problems.add("keystore_file needs the secret keystore_password");
                }
            }
            case BTC -> {
                if (!List.of("mainnet", "testnet", "signet", "regtest").contains(view.setting("network", ""))) {
                    problems.add("network must be mainnet, testnet, signet or regtest");
                }
                view.setting("fee_rate_sat_vb").filter(value -> !value.matches("[0-9]{1,6}(\\.[0-9]{1,3})?"))
                    .ifPresent(value -> problems.add("fee_rate_sat_vb must be a rate such as 12 or 2.5"));
            }
            default -> {
            }
        }
        return problems;
    }

    /**
     * Why a rail's URL is not usable: it must be https (credentials and signed requests travel on it), except on the
     * machine itself (a local node or simulator: localhost, 127.0.0.0/8, ::1).
     */
    static Optional<String> urlProblem(String url) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("is not a URL");
        }
        String host = uri.getHost();
        if (host == null || uri.getScheme() == null) {
            return Optional.of("must be an absolute http(s) URL");
        }
        boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
        if (uri.getScheme().equals("https") || uri.getScheme().equals("http") && local) {
            return Optional.empty();
        }
        return Optional.of("must be https (http only for localhost)");
    }

    private static void positive(List<String> problems, MerchantAccount view, String name) {
        view.setting(name).filter(value -> !value.matches("[1-9][0-9]{0,8}")).ifPresent(value ->
            problems.add(name + " must be a positive whole number"));
    }

    // ---- payee details ------------------------------------------------------------------------------

    /**
     * The checked rail details of a payee of an API rail: paxum {@code email}; wise {@code type},
     * {@code account_holder_name}, {@code legal_type}, {@code details} (an object of strings, one level of nested
     * objects such as {@code address}; kept flat as {@code details.IBAN}, {@code details.address.city});
     * usdc_evm {@code address}, {@code chain_id}; btc {@code address}.
     */
    static Map<String, String> details(String rail, Fields payee) {
        JsonNode node = payee.node("rail_details");
        if (node == null || !node.isObject()) {
            throw invalid("'rail_details' is required (an object)", "/rail_details");
        }
        Map<String, String> values = new TreeMap<>();
        flatten(node, "", values, 0);
        Set<String> known = switch (rail) {
            case PAXUM -> Set.of("email");
            case WISE -> Set.of("type", "account_holder_name", "legal_type");
            case USDC_EVM -> Set.of("address", "chain_id");
            default -> Set.of("address");
        };
        for (String name : values.keySet()) {
            if (!known.contains(name) && !(rail.equals(WISE) && name.startsWith("details."))) {
                throw Problem.badRequest("unknown-field", "'" + name + "' is not a rail detail of " + rail,
                    "/rail_details/" + name.replace('.', '/'));
            }
        }
        switch (rail) {
            case PAXUM -> {
                String email = values.getOrDefault("email", "");
                if (email.length() > 254 || !email.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                    throw invalid("email must be the payee's Paxum e-mail address", "/rail_details/email");
                }
            }
            case WISE -> {
                if (!values.getOrDefault("type", "").matches("[a-z_]{2,32}")) {
                    throw invalid("type is Wise's account type, such as iban, sort_code, aba or email", "/rail_details/type");
                }
                String holder = values.getOrDefault("account_holder_name", "");
                if (holder.isBlank() || holder.length() > 140) {
                    throw invalid("account_holder_name is required (at most 140 characters)",
                        "/rail_details/account_holder_name");
                }
                String legal = values.getOrDefault("legal_type", "PRIVATE");
                if (!legal.equals("PRIVATE") && !legal.equals("BUSINESS")) {
                    throw invalid("legal_type is PRIVATE or BUSINESS", "/rail_details/legal_type");
                }
                values.put("legal_type", legal);
                if (values.keySet().stream().noneMatch(name -> name.startsWith("details."))) {
                    throw invalid("details is required: the fields Wise asks for the account type", "/rail_details/details");
                }
            }
            case USDC_EVM -> {
                String address = values.getOrDefault("address", "");
                evmAddressProblem(address).ifPresent(problem -> {
                    throw invalid("address: " + problem, "/rail_details/address");
                });
                if (!values.getOrDefault("chain_id", "").matches("[1-9][0-9]{0,18}")) {
                    throw invalid("chain_id is the chain's id (EIP-155), such as 1 or 137", "/rail_details/chain_id");
                }
            }
            default -> {
                String address = values.getOrDefault("address", "");
                if (Stream.of("mainnet", "testnet", "signet", "regtest")
                    .allMatch(network -> BitcoinRail.addressProblem(address, network).isPresent())) {
                    throw invalid("address must be a bitcoin address (base58 or bech32, with a valid checksum)",
                        "/rail_details/address");
                }
            }
        }
        return values;
    }

    private static void flatten(JsonNode node, String prefix, Map<String, String> into, int depth) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String name = prefix + entry.getKey();
            JsonNode value = entry.getValue();
            if (!entry.getKey().matches("[A-Za-z][A-Za-z0-9_]{0,63}")) {
                throw invalid("'" + entry.getKey() + "' is not a field name", "/rail_details/" + name.replace('.', '/'));
            }
            if (value.isObject() && (depth == 0 && name.equals("details") || depth == 1 && prefix.equals("details."))) {
                flatten(value, name + ".", into, depth + 1);
            } else if (value.isTextual() || value.isNumber() || value.isBoolean()) {
                String text = value.asText();
                if (text.length() > 200) {
                    throw invalid("'" + name + "' is at most 200 characters", "/rail_details/" + name.replace('.', '/'));
                }
                into.put(name, text);
            } else if (!value.isNull()) {
                throw invalid("'" + name + "' must be a string", "/rail_details/" + name.replace('.', '/'));
            }
            if (into.size() > 32) {
                throw invalid("at most 32 rail details", "/rail_details");
            }
        }
    }

    /** Why {@code address} is not an EVM address the driver pays (0x, 40 hex digits, EIP-55 when mixed case, not zero). */
    static Optional<String> evmAddressProblem(String address) {
        return Erc20Rail.addressProblem(address);
    }

    /** Wise details shown as they are: where the bank is and who the holder is, not which account. */
    private static final Set<String> SHOWN_DETAILS = Set.of("legalType", "accountType", "bic", "BIC", "swiftCode",
        "sortCode", "abartn", "bankCode", "branchCode", "institutionNumber", "transitNumber", "bankName", "email",
        "dateOfBirth");

    /**
     * Whether a detail is shown masked: account numbers and IBANs of the file rails, and every Wise {@code details.*}
     * value but a few that name the bank or the address (Wise's account types carry account numbers under many names:
     * {@code IBAN}, {@code accountNumber}, {@code clabe}, {@code cardNumber}, …).
     */
    static boolean masked(String name) {
        if (name.startsWith("details.")) {
            String field = name.substring("details.".length());
            return !field.startsWith("address.") && !SHOWN_DETAILS.contains(field);
        }
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.endsWith("account_number") || lower.endsWith("iban");
    }

    private static Problem invalid(String detail, String pointer) {
        return Problem.badRequest("invalid-rail-details", detail, pointer);
    }
}

package com.fanzfinance.server.payments.payouts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.payouts.ach.AbaRouting;
import com.fanzfinance.payouts.sepa.Bic;
import com.fanzfinance.payouts.sepa.Iban;
import com.fanzfinance.server.payments.AccountProvider;

/**
 * The payout rails a merchant account may be of on this server, as {@link AccountProvider}s: their settings
 * (PAYMENTS-API §1) and the checks that refuse, when the account is made, settings a bank would refuse in a file.
 * The file rails are here ({@code ach}, {@code sepa}); the API rails ({@code paxum wise usdc_evm btc}) are in
 * {@link ApiRails}.
 */
public final class RailAccounts {
    static final String ACH = "ach";
    static final String SEPA = "sepa";

    private RailAccounts() {
    }

    /** Every rail an account may be of. */
    public static List<AccountProvider> all() {
        List<AccountProvider> all = new ArrayList<>(List.of(new Ach(), new Sepa()));
        all.addAll(ApiRails.providers());
        return all;
    }

    /** Why a payee of {@code rail} cannot be paid in {@code currency} (empty: it can). */
    static Optional<String> currencyProblem(String rail, String currency) {
        java.util.Set<String> allowed = switch (rail) {
            case ACH -> java.util.Set.of("USD");
            case SEPA -> java.util.Set.of("EUR");
            default -> ApiRails.currencies(rail);
        };
        return allowed.isEmpty() || allowed.contains(currency) ? Optional.empty()
            : Optional.of(rail + " pays in " + String.join(" or ", new java.util.TreeSet<>(allowed)) + " only");
    }

    /** ACH: the ODFI's file header and batch header values (PAYMENTS-API §1, PP B3). */
    static final class Ach implements AccountProvider {
        @Override
        public String name() {
            return ACH;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                SettingSpec.required("immediate_destination", "routing number (9 digits) of the ODFI or ACH operator the file goes to"),
                SettingSpec.required("immediate_destination_name", "its name, up to 23 characters"),
                SettingSpec.required("immediate_origin", "routing number (9 digits) or 10-character company id the ODFI assigned"),
                SettingSpec.required("immediate_origin_name", "the originator's name, up to 23 characters"),
                SettingSpec.required("company_name", "the company name on each batch, up to 16 characters"),
                SettingSpec.required("company_identification", "the company id (often 1 + EIN), up to 10 characters"),
                SettingSpec.required("odfi_identification", "first 8 digits of the ODFI's routing number (trace numbers start with it)"),
                SettingSpec.optional("entry_description", "PAYOUT", "company entry description, up to 10 characters"),
                SettingSpec.optional("offset_account", null,
                    "routing:account[:savings] of the company's own account: each batch gets a balancing debit (a balanced file)"),
                SettingSpec.optional("reference_code", null, "file header reference code, up to 8 characters"));
        }

        @Override
        public List<SecretSpec> secrets() {
            return List.of();
        }

        @Override
        public List<String> accountProblems(MerchantAccount view) {
            List<String> problems = new ArrayList<>();
            if (!view.currencies().equals(List.of("USD"))) {
                problems.add("an ach account pays in USD only: currencies must be [\"USD\"]");
            }
            String destination = view.setting("immediate_destination", "");
            if (!AbaRouting.isValid(destination)) {
                problems.add("immediate_destination must be a 9-digit routing number with a valid check digit");
            }
            String origin = view.setting("immediate_origin", "");
            if (!AbaRouting.isValid(origin) && !origin.matches("[0-9A-Za-z]{10}")) {
                problems.add("immediate_origin must be a 9-digit routing number or a 10-character company id");
            }
            if (!view.setting("odfi_identification", "").matches("[0-9]{8}")) {
                problems.add("odfi_identification must be the first 8 digits of the ODFI's routing number");
            }
            fits(problems, view, "immediate_destination_name", 23);
            fits(problems, view, "immediate_origin_name", 23);
            fits(problems, view, "company_name", 16);
            fits(problems, view, "company_identification", 10);
            fits(problems, view, "entry_description", 10);
            fits(problems, view, "reference_code", 8);
            view.setting("offset_account").ifPresent(offset -> {
                if (OffsetAccount.parse(offset).isEmpty()) {
                    problems.add("offset_account must be routing:account or routing:account:savings (a valid routing"
                        + " number, an account of 1-17 letters or digits)");
                }
            });
            return problems;
        }

        private static void fits(List<String> problems, MerchantAccount view, String name, int maxLength) {
            Optional<String> value = view.setting(name);
            if (value.isPresent() && (value.get().length() > maxLength || !value.get().matches("[\\x20-\\x7e]*"))) {
                problems.add(name + " must be at most " + maxLength + " printable ASCII characters");
            }
        }
    }

    /** The balancing account of a balanced ACH file. */
    record OffsetAccount(String routingNumber, String accountNumber, boolean savings) {
        static Optional<OffsetAccount> parse(String text) {
            String[] parts = text.split(":", -1);
            if (parts.length < 2 || parts.length > 3 || !AbaRouting.isValid(parts[0])
                || !parts[1].matches("[0-9A-Za-z]{1,17}") || parts.length == 3 && !parts[2].equals("savings")) {
                return Optional.empty();
            }
            return Optional.of(new OffsetAccount(parts[0], parts[1], parts.length == 3));
        }
    }

    /** SEPA credit transfer: the debtor of every pain.001 file (PAYMENTS-API §1, PP B4). */
    static final class Sepa implements AccountProvider {
        @Override
        public String name() {
            return SEPA;
        }

        @Override
        public List<SettingSpec> settings() {
            return List.of(
                SettingSpec.required("debtor_name", "the platform's account holder name, up to 70 characters"),
                SettingSpec.required("debtor_iban", "the IBAN payouts are paid from"),
                SettingSpec.optional("debtor_bic", null, "the BIC of the debtor's bank (else NOTPROVIDED: IBAN only)"),
                SettingSpec.required("initiating_party_name", "who sends the file, up to 70 characters"),
                SettingSpec.optional("pain_version", "09", "09 (pain.001.001.09) or 03 (pain.001.001.03, for banks still on it)"));
        }

        @Override
        public List<SecretSpec> secrets() {
            return List.of();
        }

        @Override
        public List<String> accountProblems(MerchantAccount view) {
            List<String> problems = new ArrayList<>();
            if (!view.currencies().equals(List.of("EUR"))) {
                problems.add("a sepa account pays in EUR only: currencies must be [\"EUR\"]");
            }
            Iban.problem(view.setting("debtor_iban", "")).ifPresent(problem -> problems.add("debtor_iban: " + problem));
            view.setting("debtor_bic").flatMap(Bic::problem).ifPresent(problem -> problems.add("debtor_bic: " + problem));
            if (!List.of("09", "03").contains(view.setting("pain_version", "09"))) {
                problems.add("pain_version must be 09 or 03");
            }
            for (String name : List.of("debtor_name", "initiating_party_name")) {
                if (view.setting(name, "").length() > 70) {
                    problems.add(name + " must be at most 70 characters");
                }
            }
            return problems;
        }
    }
}

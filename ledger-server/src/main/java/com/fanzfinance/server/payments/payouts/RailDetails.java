package com.fanzfinance.server.payments.payouts;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.payouts.ach.AbaRouting;
import com.fanzfinance.payouts.sepa.Bic;
import com.fanzfinance.payouts.sepa.Iban;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Fields;

/**
 * A payee's {@code rail_details}: checked when the payee is saved, so that a file never carries a routing number
 * with a wrong check digit or an IBAN that fails mod 97 (400 {@code invalid-rail-details}, pointer to the field);
 * and shown masked.
 */
final class RailDetails {
    static final Set<String> ACH_FIELDS = Set.of("routing_number", "account_number", "account_type", "holder_type");
    static final Set<String> SEPA_FIELDS = Set.of("iban", "bic", "address");

    private RailDetails() {
    }

    /** The checked details of {@code rail} from the payee's fields, normalised (an IBAN without spaces, upper case). */
    static Map<String, String> validate(String rail, Fields payee) {
        if (ApiRails.isApiRail(rail)) {
            return ApiRails.details(rail, payee);
        }
        if (payee.object("rail_details") == null) {
            throw invalid("'rail_details' is required", "/rail_details");
        }
        Map<String, String> values = payee.stringMap("rail_details", 8, 200);
        for (String name : values.keySet()) {
            if (!(rail.equals(RailAccounts.ACH) ? ACH_FIELDS : SEPA_FIELDS).contains(name)) {
                throw Problem.badRequest("unknown-field", "'" + name + "' is not a rail detail of " + rail,
                    "/rail_details/" + name);
            }
        }
        return rail.equals(RailAccounts.ACH) ? ach(values) : sepa(values);
    }

    private static Map<String, String> ach(Map<String, String> values) {
        Map<String, String> checked = new TreeMap<>();
        String routing = values.getOrDefault("routing_number", "");
        if (!AbaRouting.isValid(routing)) {
            throw invalid("routing_number must be 9 digits with a valid ABA check digit", "/rail_details/routing_number");
        }
        String account = values.getOrDefault("account_number", "");
        if (!account.matches("[0-9A-Za-z]{1,17}")) {
            throw invalid("account_number is 1-17 letters or digits", "/rail_details/account_number");
        }
        String type = values.getOrDefault("account_type", "checking");
        if (!type.equals("checking") && !type.equals("savings")) {
            throw invalid("account_type is checking or savings", "/rail_details/account_type");
        }
        String holder = values.getOrDefault("holder_type", "individual");
        if (!holder.equals("individual") && !holder.equals("business")) {
            throw invalid("holder_type is individual (PPD) or business (CCD)", "/rail_details/holder_type");
        }
        checked.put("routing_number", routing);
        checked.put("account_number", account.toUpperCase(java.util.Locale.ROOT));
        checked.put("account_type", type);
        checked.put("holder_type", holder);
        return checked;
    }

    private static Map<String, String> sepa(Map<String, String> values) {
        Map<String, String> checked = new TreeMap<>();
        String iban = Iban.normalise(values.getOrDefault("iban", ""));
        Iban.problem(iban).ifPresent(problem -> {
            throw invalid("iban: " + problem, "/rail_details/iban");
        });
        checked.put("iban", iban);
        String bic = values.get("bic");
        if (bic != null) {
            Bic.problem(bic).ifPresent(problem -> {
                throw invalid("bic: " + problem, "/rail_details/bic");
            });
            checked.put("bic", bic);
        }
        String address = values.get("address");
        if (address != null) {
            if (address.length() > 140) {
                throw invalid("address is at most 140 characters", "/rail_details/address");
            }
            checked.put("address", address);
        }
        return checked;
    }

    /** The details as the API shows them: account numbers and IBANs as {@code ****} and their last four. */
    static ObjectNode masked(Map<String, String> details) {
        ObjectNode json = Fields.parseless();
        details.forEach((name, value) -> json.put(name, ApiRails.masked(name) ? mask(value) : value));
        return json;
    }

    static String mask(String value) {
        return "****" + value.substring(Math.max(0, value.length() - 4));
    }

    private static Problem invalid(String detail, String pointer) {
        return Problem.badRequest("invalid-rail-details", detail, pointer);
    }
}

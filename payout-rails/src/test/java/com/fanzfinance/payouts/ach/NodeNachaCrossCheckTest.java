package com.fanzfinance.payouts.ach;

import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.payouts.ach.NachaDocument.Batch;
import com.fanzfinance.payouts.ach.NachaDocument.Entry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-checks NachaWriter and NachaReader against an independent parser,
 * {@code @midlandsbank/node-nacha} 0.4.0, run as a real {@code node} subprocess on
 * {@code target/node/parse.js} (installed by {@code npm ci} in the build; see payout-rails/pom.xml).
 *
 * <p>What node-nacha actually checks, from its source ({@code lib/transforms/ach-parser.js},
 * {@code line-parsers.js}, {@code formats.js}, {@code api/validate.js}): nothing. It splits on LF,
 * skips lines starting {@code 99}, and slices each record into fixed-width fields by the layouts
 * in {@code formats.js} (trimming text, {@code Number()} on numeric fields); the patterns there are
 * never applied and its {@code validate} functions are empty stubs. It does not compare controls
 * with entries and does not check check digits, record lengths or order. What it does independently
 * is (1) the field positions of its own layouts, and (2) {@code lib/api/calculate.js}, which
 * recomputes the entry/addenda counts, entry hash (last 10 digits), debit total (TC second digit 7
 * or 8) and credit total (second digit 2 or 3) and the block count from the entries it parsed.
 *
 * <p>So this test compares, for each file: node-nacha's reading of the batch and file controls and
 * of every entry's code, routing, account, amount and trace with ours (same JSON text), and
 * node-nacha's recomputed totals, hash and block count with the controls. The generated files use
 * only codes whose second digit is 2, 3, 7 or 8, the ones node-nacha's calculate() classifies
 * (it ignores 1, 4, 5, 6 and 9). If {@code node} is missing the test fails; it is never skipped.
 */
class NodeNachaCrossCheckTest {

    private static final Path PARSE_JS = Path.of("target", "node", "parse.js");
    private static final long TIMEOUT_SECONDS = 30;

    @TempDir
    Path temp;

    static Stream<Arguments> files() {
        List<Arguments> files = new ArrayList<>();
        files.add(Arguments.of("payouts without offset", NachaWriter.write(NachaWriterTest.payouts(null))));
        files.add(Arguments.of("payouts with offset", NachaWriter.write(NachaWriterTest.payouts(NachaWriterTest.OFFSET))));
        for (long seed = 1; files.size() < 14; seed++) {
            NachaFileSpec spec = new RandomSpecs(seed, true).file();
            try {
                files.add(Arguments.of("random seed " + seed, NachaWriter.write(spec)));
            } catch (NachaSpecException offsetCannotBalance) {
                // a random batch whose debits exceed its credits cannot take an offset; try the next seed
            }
        }
        for (String sample : List.of("ppd-credit.ach", "ccd-debit.ach", "ppd-debit.ach", "web-credit.ach",
                "two-micro-deposits.ach")) {
            files.add(Arguments.of("moov sample " + sample, AchSamples.sample(sample)));
        }
        return files.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void nodeNachaReadsWhatWeRead(String name, String text) throws Exception {
        Path file = temp.resolve("file.ach");
        Files.writeString(file, text, StandardCharsets.US_ASCII);
        NachaDocument ours = NachaReader.read(text);

        String theirs = runNodeNacha(file);

        assertThat(theirs).isEqualTo(expectedJson(ours, ours.control().blockCount()));
    }

    /** The JSON parse.js prints, built from our reading; "recomputed" must equal the controls. */
    private static String expectedJson(NachaDocument document, int blockCount) {
        NachaDocument.FileControl control = document.control();
        String fileControl = "{\"batchCount\":" + control.batchCount() + ",\"blockCount\":" + blockCount
                + "," + controlJson(control.entryAddendaCount(), control.entryHash(), control.totalDebitCents(),
                control.totalCreditCents()).substring(1);
        StringBuilder json = new StringBuilder();
        json.append("{\"batchCount\":").append(document.batches().size())
                .append(",\"entryCount\":").append(document.batches().stream().mapToInt(b -> b.entries().size()).sum())
                .append(",\"fileControl\":").append(fileControl)
                .append(",\"recomputed\":").append(fileControl)
                .append(",\"batches\":[");
        List<String> batches = new ArrayList<>();
        for (Batch batch : document.batches()) {
            String batchControl = controlJson(batch.control().entryAddendaCount(), batch.control().entryHash(),
                    batch.control().totalDebitCents(), batch.control().totalCreditCents());
            batches.add("{\"serviceClass\":" + string(batch.serviceClass()) + ",\"secCode\":"
                    + string(batch.secCode()) + ",\"control\":" + batchControl + ",\"recomputed\":" + batchControl + "}");
        }
        json.append(String.join(",", batches)).append("],\"entries\":[");
        List<String> entries = new ArrayList<>();
        for (Batch batch : document.batches()) {
            for (Entry entry : batch.entries()) {
                entries.add("{\"transactionCode\":" + string(Integer.toString(entry.transactionCode()))
                        + ",\"routing\":" + string(entry.routingNumber())
                        + ",\"account\":" + string(entry.accountNumber())
                        + ",\"amount\":" + entry.amountCents()
                        + ",\"trace\":" + string(entry.traceNumber()) + "}");
            }
        }
        return json.append(String.join(",", entries)).append("]}").toString();
    }

    private static String controlJson(long count, long hash, long debits, long credits) {
        return "{\"entryAddendaCount\":" + count + ",\"entryHash\":" + hash + ",\"totalDebit\":" + debits
                + ",\"totalCredit\":" + credits + "}";
    }

    private static String string(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String runNodeNacha(Path file) throws IOException, InterruptedException {
        assertThat(PARSE_JS).as("parse.js installed by the build (npm ci in target/node)").isRegularFile();
        Path stderr = file.resolveSibling("stderr.txt");
        Process process = new ProcessBuilder("node", PARSE_JS.toString(), file.toString())
                .redirectError(stderr.toFile())
                .start();
        byte[] stdout = process.getInputStream().readAllBytes();
        boolean finished = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertThat(finished).as("node finished within " + TIMEOUT_SECONDS + " s").isTrue();
        assertThat(process.exitValue()).as("node exit status; stderr: " + Files.readString(stderr)).isZero();
        return new String(stdout, StandardCharsets.UTF_8).strip();
    }
}

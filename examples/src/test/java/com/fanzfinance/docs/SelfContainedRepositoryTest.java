package com.fanzfinance.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * A clone is all a reader has: no file points to design notes beside the repository. Only the CI
 * entry point ({@code .ci/}) may know about its surroundings.
 */
class SelfContainedRepositoryTest {
    /** A path to the folder beside the repository, or to one of its design, reference or seed folders. */
    private static final Pattern OUTSIDE_POINTER = Pattern.compile(
        "\\.\\./+shared\\b[\\w./-]*|\\bshared/(?:design|reference|seeds)\\b[\\w./-]*");

    @Test
    void noTrackedFilePointsOutsideTheRepository() {
        List<String> pointers = new ArrayList<>();
        for (String file : RepositoryFiles.tracked()) {
            if (file.startsWith(".ci/")) {
                continue;
            }
            String text = RepositoryFiles.readText(file);
            if (text != null) {
                pointers.addAll(pointersIn(file, text));
            }
        }
        assertThat(pointers).as("files that point outside the repository (a clone has no such files): point to the"
            + " repository's own docs instead — the HTTP API is docs/api.md — or copy what is needed into the repository")
            .isEmpty();
    }

    @Test
    void theCheckSeesPointersOutside() {
        String folder = "sha" + "red"; // spelt in two parts so that this file does not trip its own check
        String text = "contract: ../" + folder + "/design/API.md\nsee " + folder + "/reference/x\n" + folder + "/other is fine\n";

        assertThat(pointersIn("docs/x.md", text)).containsExactly(
            "docs/x.md:1: ../" + folder + "/design/API.md",
            "docs/x.md:2: " + folder + "/reference/x");
    }

    static List<String> pointersIn(String file, String text) {
        List<String> pointers = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            Matcher pointer = OUTSIDE_POINTER.matcher(lines[index]);
            while (pointer.find()) {
                pointers.add(file + ":" + (index + 1) + ": " + pointer.group());
            }
        }
        return pointers;
    }
}

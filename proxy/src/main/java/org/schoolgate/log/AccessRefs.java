package org.schoolgate.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Finds the access line of a block page's reference (SPEC section 8) in the files the proxy
 * writes: {@code access.jsonl}, then the rotated {@code access.DATE.jsonl.gz} of each earlier day,
 * newest first, for at most {@link #DAYS} days. Each file is streamed a line at a time (only lines
 * that carry the reference are parsed), so memory stays bounded whatever the files hold; within a
 * file the last line with the reference (the newest) wins.
 */
public final class AccessRefs {
  /** How far back a reference is looked for. */
  public static final int DAYS = 7;
  private static final Pattern REF = Pattern.compile("[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path logDir;
  private final Clock clock;
  private final ZoneId zone;

  public AccessRefs(Path logDir, Clock clock, ZoneId zone) {
    this.logDir = logDir;
    this.clock = clock;
    this.zone = zone;
  }

  /** A reference as typed (any case, spaces, the dash left out), or null when it cannot be one. */
  public static String normalise(String typed) {
    if (typed == null) {
      return null;
    }
    String s = typed.strip().replace(" ", "").toUpperCase(Locale.ROOT);
    if (s.length() == 8 && s.indexOf('-') < 0) {
      s = s.substring(0, 4) + "-" + s.substring(4);
    }
    return s.length() == 9 && REF.matcher(s).matches() ? s : null;
  }

  /** The newest access line that carries {@code ref} (normalised), as logged, or null when none in the last {@link #DAYS} days. */
  public JsonNode find(String ref) throws IOException {
    String needle = "\"ref\":\"" + ref + "\"";
    for (Path file : files()) {
      JsonNode found = null;
      try (InputStream raw = Files.newInputStream(file);
           BufferedReader in = new BufferedReader(new InputStreamReader(
               file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 65536) : raw, StandardCharsets.UTF_8),
               65536)) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.contains(needle)) {
            try {
              JsonNode node = JSON.readTree(line);
              if (ref.equals(node.path("ref").asText(null))) {
                found = node;
              }
            } catch (IOException malformed) {
              // a line cut short by a crash: not the one
            }
          }
        }
      } catch (NoSuchFileException gone) {
        continue; // rotated or removed while we looked
      } catch (java.util.zip.ZipException torn) {
        // a rotated file being written: read what could be read
      }
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  /** The current file, then each earlier day's, newest first, those that exist. */
  private List<Path> files() {
    List<Path> out = new ArrayList<>();
    out.add(logDir.resolve("access.jsonl"));
    LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
    for (int back = 0; back <= DAYS; back++) {
      LocalDate day = today.minusDays(back);
      out.add(logDir.resolve("access." + day + ".jsonl.gz"));
      out.add(logDir.resolve("access." + day + ".jsonl"));
    }
    out.removeIf(p -> !Files.isRegularFile(p));
    return out;
  }
}

package org.schoolgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A cursor over the YAML tree that knows its own path ({@code networks.pupils[1]}) and reports
 * problems against it, so every message names the field it is about.
 */
final class Node {
  private final JsonNode json;
  private final String path;
  private final List<String> problems;

  Node(JsonNode json, String path, List<String> problems) {
    this.json = json;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  boolean isMissing() {
    return json == null || json.isMissingNode();
  }

  boolean isNull() {
    return isMissing() || json.isNull();
  }

  void problem(String message) {
    problems.add((path.isEmpty() ? "(top)" : path) + ": " + message);
  }

  Node get(String key) {
    JsonNode child = json == null ? null : json.get(key);
    return new Node(child, path.isEmpty() ? key : path + "." + key, problems);
  }

  /** Reports keys not in {@code known}; true when this is a mapping. */
  boolean checkKeys(Set<String> known) {
    if (isMissing()) {
      return false;
    }
    if (!json.isObject()) {
      problem("should be a mapping of keys to values");
      return false;
    }
    for (Map.Entry<String, JsonNode> property : json.properties()) {
      String k = property.getKey();
      if (!known.contains(k)) {
        problems.add((path.isEmpty() ? k : path + "." + k) + ": unknown key (known here: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
    return true;
  }

  List<Map.Entry<String, Node>> entries() {
    List<Map.Entry<String, Node>> out = new ArrayList<>();
    if (isNull()) {
      return out;
    }
    if (!json.isObject()) {
      problem("should be a mapping");
      return out;
    }
    for (Map.Entry<String, JsonNode> e : json.properties()) {
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      out.add(Map.entry(e.getKey(), new Node(e.getValue(), p, problems)));
    }
    return out;
  }

  List<Node> items() {
    List<Node> out = new ArrayList<>();
    if (isNull()) {
      return out;
    }
    if (!json.isArray()) {
      problem("should be a list, like [a, b]");
      return out;
    }
    for (int i = 0; i < json.size(); i++) {
      out.add(new Node(json.get(i), path + "[" + i + "]", problems));
    }
    return out;
  }

  /** The scalar as text, or null (reported) if missing, a mapping or a list. */
  String text(boolean required) {
    if (isNull()) {
      if (required) {
        problem("is required");
      }
      return null;
    }
    if (!json.isValueNode()) {
      problem("should be a single value");
      return null;
    }
    return json.asText();
  }

  /** Parses the scalar with {@code parser}; an exception's message becomes the problem. */
  <T> T as(Function<String, T> parser, boolean required) {
    String t = text(required);
    if (t == null) {
      return null;
    }
    try {
      return parser.apply(t);
    } catch (RuntimeException e) {
      problem(e.getMessage() == null ? "\"" + t + "\" is not valid here" : e.getMessage());
      return null;
    }
  }

  Integer integer(int min, int max, boolean required) {
    String t = text(required);
    if (t == null) {
      return null;
    }
    if (!json.isIntegralNumber() && !t.matches("-?\\d{1,10}")) {
      problem('"' + t + "\" is not a whole number");
      return null;
    }
    long v = Long.parseLong(t);
    if (v < min || v > max) {
      problem(v + " is out of range (" + min + " to " + max + ")");
      return null;
    }
    return (int) v;
  }
}

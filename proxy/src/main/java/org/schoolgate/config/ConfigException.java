package org.schoolgate.config;

import java.util.List;

/** A configuration that must not be used; each problem reads {@code PATH-IN-FILE: message}. */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

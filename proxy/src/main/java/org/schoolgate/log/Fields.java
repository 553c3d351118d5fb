package org.schoolgate.log;

/** Where a {@link JsonRecord} writes its fields, in order: a {@link JsonLine} or a Jackson generator. */
public interface Fields {
  /** A string field; a null value is written as JSON null. */
  void string(String name, String value);

  void number(String name, long value);
}

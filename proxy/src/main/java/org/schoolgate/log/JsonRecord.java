package org.schoolgate.log;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.logstash.logback.argument.StructuredArgument;

/**
 * A log line's fields, written once: straight into bytes by {@link JsonLineEncoder} (what the
 * shipped logback.xml uses), or through Jackson when a logback.xml chooses a logstash encoder.
 */
public interface JsonRecord extends StructuredArgument {
  void fields(Fields out);

  @Override
  default void writeTo(JsonGenerator g) throws IOException {
    try {
      fields(new Fields() {
        @Override
        public void string(String name, String value) {
          try {
            g.writeStringField(name, value);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }

        @Override
        public void number(String name, long value) {
          try {
            g.writeNumberField(name, value);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}

package org.schoolgate.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.schoolgate.admin.ApiError;

/** JSON in and out of the admin API: snake_case field names, clear 400s for malformed bodies. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

  private Json() {}

  static ObjectNode body(String text) {
    if (text == null || text.isBlank()) {
      throw new ApiError(400, "The request needs a JSON body");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ApiError(400, "The request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (!(node instanceof ObjectNode o)) {
      throw new ApiError(400, "The request body must be a JSON object");
    }
    return o;
  }

  static String text(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ApiError(400, "\"" + field + "\" must be text");
    }
    return v.asText();
  }

  static List<String> texts(ObjectNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isArray()) {
      throw new ApiError(400, "\"" + field + "\" must be a list, like [\"a\", \"b\"]");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new ApiError(400, "\"" + field + "\" must be a list of text");
      }
      out.add(item.asText());
    }
    return out;
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String error(String message) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("error", message);
    return o.toString();
  }
}

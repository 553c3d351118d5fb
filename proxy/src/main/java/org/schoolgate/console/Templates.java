package org.schoolgate.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/** The console's compiled templates ({@code src/main/jte}, compiled by jte-maven-plugin): one engine for every page. */
public final class Templates {
  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(null, ContentType.Html, null, "org.schoolgate.console.templates");

  private Templates() {}

  /** The page {@code template} (e.g. {@code reports.jte}) with these parameters, as HTML. */
  public static String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput(8192);
    ENGINE.render(template, params, out);
    return out.toString();
  }
}

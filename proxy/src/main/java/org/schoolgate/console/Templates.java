package org.schoolgate.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.html.HtmlTemplateOutput;
import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import java.util.Map;

/**
 * The console's compiled templates ({@code src/main/jte}, compiled by jte-maven-plugin into
 * {@code org.schoolgate.console.templates}). A page calls its template's generated
 * {@code render} with the template's typed parameters ({@link Html}), so a missing or wrong
 * parameter fails the build, and is written here, HTML-escaped as the engine would.
 */
public final class Templates {
  private static final TemplateEngine ENGINE =
      TemplateEngine.createPrecompiled(null, ContentType.Html, null, "org.schoolgate.console.templates");

  private Templates() {}

  /** A template called with its parameters, e.g. {@code out -> JtemessageGenerated.render(out, null, headline, sentence)}. */
  @FunctionalInterface
  public interface Html {
    void render(HtmlTemplateOutput out);
  }

  /** The page as HTML. */
  public static String render(Html html) {
    StringOutput out = new StringOutput(8192);
    html.render(new OwaspHtmlTemplateOutput(out));
    return out.toString();
  }

  /**
   * The page {@code template} (e.g. {@code review.jte}) with parameters by name, checked only when
   * it runs: for the annual review's command-line copy; the console's pages use {@link #render(Html)}.
   */
  public static String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput(8192);
    ENGINE.render(template, params, out);
    return out.toString();
  }
}

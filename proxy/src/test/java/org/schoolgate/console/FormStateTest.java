package org.schoolgate.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gg.jte.html.OwaspHtmlTemplateOutput;
import gg.jte.output.StringOutput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.schoolgate.console.templates.JteerrorsummaryGenerated;
import org.schoolgate.console.templates.JtefielderrorGenerated;

/** A form sent back with what was typed and what was wrong (issue 24 item 7), and its two partials. */
class FormStateTest {
  private final FormState sent = new FormState(Map.of("categories", List.of("chat", "social"), "who", List.of("device"),
      "sites", List.of("<script>x</script>")), List.of(new FormState.FieldError("sites", "Not both <b>at once</b>.")));

  @Test
  void keepsValuesTicksAndChoices() {
    assertEquals("<script>x</script>", sent.value("sites"));
    assertEquals("", sent.value("reason"));
    assertTrue(sent.ticked("categories", "social"));
    assertFalse(sent.ticked("categories", "forums"));
    assertTrue(sent.chosen("who", "device", false));
    assertFalse(sent.chosen("who", "group", true), "the choice sent wins over the page's default");
    assertTrue(FormState.EMPTY.chosen("who", "group", true), "a fresh page has its default");
    assertEquals("Not both <b>at once</b>.", sent.error("sites"));
    assertNull(sent.error("reason"));
  }

  @Test
  void theSummaryLinksToTheFieldAndEverythingTypedStaysInert() {
    StringOutput summary = new StringOutput();
    JteerrorsummaryGenerated.render(new OwaspHtmlTemplateOutput(summary), null, sent);
    String html = summary.toString();
    assertTrue(html.contains("role=\"alert\""), html);
    assertTrue(html.contains("<a href=\"#sites\">Not both &lt;b&gt;at once&lt;/b&gt;.</a>"), html);
    StringOutput field = new StringOutput();
    JtefielderrorGenerated.render(new OwaspHtmlTemplateOutput(field), null, sent, "sites");
    assertTrue(field.toString().contains("id=\"sites-error\""), field.toString());
    StringOutput none = new StringOutput();
    JteerrorsummaryGenerated.render(new OwaspHtmlTemplateOutput(none), null, FormState.EMPTY);
    assertEquals("", none.toString().strip());
  }
}

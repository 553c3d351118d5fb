package org.schoolgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.schoolgate.policy.Decision;

/** The pages a client sees from the proxy itself: the block page and the error pages. */
public final class Pages {
  public static final String CATEGORY_HEADER = "X-Schoolgate-Category";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.UK);
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEEE d MMMM yyyy, HH:mm", Locale.UK);

  private static final String STYLE = "<style>body{font-family:system-ui,sans-serif;background:#f4f7fb;color:#1d2b3a;margin:0}"
      + "main{max-width:38rem;margin:3rem auto;background:#fff;border-radius:12px;padding:2rem 2.5rem;"
      + "box-shadow:0 2px 10px rgba(0,0,0,.08)}h1{font-size:1.6rem;margin-top:0}strong{color:#0b4f8a}"
      + ".ref{font-family:monospace;font-size:1.1rem}.small{color:#5b6b7b;font-size:.9rem}</style>";

  private Pages() {}

  /**
   * Who reads a block page.
   *
   * @param staff         an adult: a client that can reach the console (never a pupil)
   * @param reviewUrl     the console's report form filled in for this block, or null (pupils; no console address)
   * @param learningSites what a device under lockdown supervision can still reach
   */
  public record Reader(boolean staff, String reviewUrl, List<String> learningSites) {}

  /** The block page for an HTTP request. */
  public static FullHttpResponse blocked(Decision d, String host, String ref, Instant now, ZoneId zone, boolean head,
                                         Reader reader) {
    StringBuilder b = new StringBuilder(1600);
    b.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
        .append("<title>This website is blocked</title>").append(STYLE).append("</head><body><main>");
    if (d.supervisedBlock()) {
      b.append("<h1>This device can only visit learning sites for now</h1>")
          .append("<p>You tried to visit <strong>").append(escape(host)).append("</strong>.</p>")
          .append("<p>This device has been set so it can only reach the school's learning sites, ")
          .append("because someone used it to try to get round the school's filter. ")
          .append("Only the headteacher or the network manager can lift this.</p>");
      if (!reader.learningSites().isEmpty()) {
        b.append("<p>These still work: ");
        for (int i = 0; i < reader.learningSites().size(); i++) {
          b.append(i == 0 ? "" : ", ").append("<strong>").append(escape(reader.learningSites().get(i))).append("</strong>");
        }
        b.append(".</p>");
      }
    } else {
      b.append("<h1>This website is blocked at school</h1>")
          .append("<p>You tried to visit <strong>").append(escape(host)).append("</strong>.</p>")
          .append("<p>It is blocked because it is <strong>").append(escape(Categories.plain(d.category())))
          .append("</strong>");
      if (d.reopensAt() != null) {
        b.append(", which is not allowed during lessons.</p><p>You can use it again from <strong>")
            .append(TIME.format(d.reopensAt().atZone(zone))).append("</strong>, when the lesson ends.</p>");
      } else {
        b.append(".</p>");
      }
      if ("circumvention".equals(d.category())) {
        b.append("<p>Trying to get round the filter is recorded, as the school's rules say.</p>");
      }
    }
    if (!reader.staff()) {
      b.append("<p>If you think this is a mistake, tell your teacher and give them this reference: ")
          .append("<span class=\"ref\">").append(ref).append("</span></p>");
    } else if (reader.reviewUrl() != null) {
      b.append("<p>If you need this for teaching, <a href=\"").append(escape(reader.reviewUrl()))
          .append("\">ask for a review</a>. The reference is <span class=\"ref\">").append(ref).append("</span>.</p>");
    } else {
      b.append("<p>If you need this for teaching, ask the headteacher or the network manager for a review, ")
          .append("giving this reference: <span class=\"ref\">").append(ref).append("</span></p>");
    }
    b.append("<p class=\"small\">").append(WHEN.format(now.atZone(zone))).append(" &middot; schoolgate</p>")
        .append("</main></body></html>\n");
    FullHttpResponse r = html(HttpResponseStatus.FORBIDDEN, b.toString(), head);
    r.headers().set(CATEGORY_HEADER, d.category() == null ? "blocked" : d.category());
    return r;
  }

  /** The refusal of a CONNECT: no tunnel, a short text body, the category header. */
  public static FullHttpResponse connectRefused(Decision d, String ref) {
    FullHttpResponse r = text(HttpResponseStatus.FORBIDDEN,
        "Blocked by the school's filter: " + Categories.plain(d.category()) + ". Reference " + ref + "\n");
    r.headers().set(CATEGORY_HEADER, d.category() == null ? "blocked" : d.category());
    return r;
  }

  /** A page for a failure that is not a policy decision (bad request, unreachable site). */
  public static FullHttpResponse error(HttpResponseStatus status, String headline, String detail, boolean head) {
    String body = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(headline)
        + "</title>" + STYLE + "</head><body><main><h1>" + escape(headline) + "</h1><p>" + escape(detail)
        + "</p><p class=\"small\">schoolgate</p></main></body></html>\n";
    return html(status, body, head);
  }

  static FullHttpResponse text(HttpResponseStatus status, String body) {
    ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return r;
  }

  private static FullHttpResponse html(HttpResponseStatus status, String body, boolean head) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    return r;
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<': b.append("&lt;"); break;
        case '>': b.append("&gt;"); break;
        case '&': b.append("&amp;"); break;
        case '"': b.append("&quot;"); break;
        case '\'': b.append("&#39;"); break;
        default: b.append(c);
      }
    }
    return b.toString();
  }
}

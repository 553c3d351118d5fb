package org.schoolgate.e2e.console;

/**
 * WCAG 2.1 AA text contrast, measured in the page: for every visible element with text of its
 * own, the contrast of its computed colour against the first opaque background behind it
 * (white when none), at least 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Returns
 * the elements that fall short.
 */
final class Contrast {
  private Contrast() {}

  static final String SCRIPT = """
      const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
        const p = m[1].split(',').map(s => parseFloat(s)); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
      const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
      const background = (el) => { for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0.9) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        if (el.closest('svg') || el.closest('.visually-hidden') || el.closest('.skip')) continue;
        const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim() !== '');
        const control = ['INPUT', 'SELECT', 'TEXTAREA', 'BUTTON'].includes(el.tagName);
        if (!own && !control) continue;
        const r = el.getBoundingClientRect(); if (r.width === 0 || r.height === 0) continue;
        const s = getComputedStyle(el); if (s.visibility === 'hidden') continue;
        const fg = parse(s.color); const bg = background(el);
        const l1 = lum(fg), l2 = lum(bg); const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
        const size = parseFloat(s.fontSize); const bold = parseInt(s.fontWeight) >= 700;
        const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        if (ratio < need) out.push(el.tagName.toLowerCase() + '.' + el.className + ' "' + (el.textContent || el.value || '').trim().slice(0, 40)
          + '" ' + ratio.toFixed(2) + ':1');
      }
      return out;
      """;
}

# ruff: noqa: E501 - a vector reads best as the one string it is
"""The XSS corpus: strings that run `window.__xss(<id>)` in a browser if a page ever lets them
execute (or open a dialog, which the browser test also catches). Each vector has its own id,
so a failure names the vector that got through.

Templates use tokens rather than str.format, because CSS and template-injection vectors are
full of braces:
- `$P`  the payload, `__xss(N)`;
- `$E`  the payload as decimal HTML entities, `$X` as hex entities (padded, no semicolons in
        `$Z`), `$J` with JavaScript unicode escapes, `$C` as `String.fromCharCode(...)`;
- `$B`  base64 of `<script>__xss(N)</script>` (for data: URLs), `$S` base64 of an SVG that
        calls it;
- `$U`  the payload percent-encoded;
- `$N`  the id alone.

Every vector mentions "xss" in some spelling, which is what `tests.xss.markup` looks for in
attributes that only a vector would write (hx-*, x-*, ...).
"""

import base64
from dataclasses import dataclass
from urllib.parse import quote

# (family, template). Families group the report; ids are the position in this list + 1.
_TEMPLATES: list[tuple[str, str]] = [
    # Script tags in many spellings ----------------------------------------------------------
    ("script", "<script>$P</script>"),
    ("script", "<SCRIPT>$P</SCRIPT>"),
    ("script", "<ScRiPt>$P</sCrIpT>"),
    ("script", "<script >$P</script >"),
    ("script", "<script\n>$P</script\n>"),
    ("script", "<script/x>$P</script>"),
    ("script", "<script type=text/javascript>$P</script>"),
    ("script", "<script type=module>$P</script>"),
    ("script", "<script>/*</script>*/$P</script>"),
    ("script", "<script src=data:text/javascript,$U></script>"),
    ("script", "<script src=data:text/javascript;base64,$B></script>"),
    ("script", "<<script>$P//<</script>"),
    ("script", "<scr<script>ipt>$P</scr</script>ipt>"),
    ("script", "<script>$J</script>"),
    ("script", "<script>eval(atob('$b'))</script>"),
    ("script", "<script>setTimeout('$P')</script>"),
    ("script", "<script>[].constructor.constructor('$P')()</script>"),
    ("script", '"><script>$P</script>'),
    ("script", "'><script>$P</script>"),
    ("script", "</title><script>$P</script>"),
    ("script", "</textarea><script>$P</script>"),
    ("script", "</script><script>$P</script>"),
    ("script", "<script>$C</script>"),
    ("script", "<script\x20>$P</script>"),
    ("script", "<!--<script>-->$P<!--</script>-->"),
    ("script", "<script><!--\n$P\n--></script>"),
    # Event handlers on many elements ---------------------------------------------------------
    ("handler", "<img src=x onerror=$P>"),
    ("handler", "<IMG SRC=x ONERROR=$P>"),
    ("handler", '<img src="x" onerror="$P">'),
    ("handler", "<img src='x' onerror='$P'>"),
    ("handler", "<img/src=x/onerror=$P>"),
    ("handler", "<img src=x onerror\n=\n$P>"),
    ("handler", "<img src=x:xss onerror=$E>"),
    ("handler", "<img src=x:xss onerror=$X>"),
    ("handler", "<img src=x:xss onerror=$Z>"),
    ("handler", "<img src=x:xss onerror=javascript:$P>"),
    ("handler", "<img src=x:xss onerror=$C>"),
    ("handler", "<img src onerror=$P>"),
    ("handler", "<image src=x onerror=$P>"),
    ("handler", "<svg onload=$P>"),
    ("handler", "<svg/onload=$P>"),
    ("handler", "<svg><g onload=$P></g></svg>"),
    ("handler", "<svg><animate onbegin=$P attributeName=x dur=1s>"),
    ("handler", "<svg><set onbegin=$P attributename=x to=1>"),
    ("handler", "<svg><image href=x onerror=$P />"),
    ("handler", "<body onload=$P>"),
    ("handler", "<body onpageshow=$P>"),
    ("handler", "<details open ontoggle=$P>"),
    ("handler", "<details/open/ontoggle=$P>"),
    ("handler", "<video src=x onerror=$P></video>"),
    ("handler", "<video><source onerror=$P></video>"),
    ("handler", "<video poster=x onloadstart=$P src=x>"),
    ("handler", "<audio src=x onerror=$P></audio>"),
    ("handler", "<audio><source src=x onerror=$P></audio>"),
    ("handler", "<iframe onload=$P></iframe>"),
    ("handler", "<iframe src=x onload=$P>"),
    ("handler", "<object data=x onerror=$P></object>"),
    ("handler", "<embed src=x onload=$P>"),
    ("handler", "<input autofocus onfocus=$P>"),
    ("handler", "<input type=image src=x onerror=$P>"),
    ("handler", "<select autofocus onfocus=$P></select>"),
    ("handler", "<textarea autofocus onfocus=$P></textarea>"),
    ("handler", "<button autofocus onfocus=$P>xss</button>"),
    ("handler", "<keygen autofocus onfocus=$P>"),
    ("handler", "<marquee onstart=$P>xss</marquee>"),
    ("handler", "<marquee loop=1 width=0 onfinish=$P>xss</marquee>"),
    ("handler", "<div onpointerenter=$P style=position:fixed;inset:0>xss</div>"),
    ("handler", "<div onmouseover=$P>xss</div>"),
    ("handler", "<a onfocus=$P autofocus href=#>xss</a>"),
    ("handler", "<div tabindex=1 autofocus onfocus=$P>xss</div>"),
    ("handler", "<form><button formaction=javascript:$P>xss</button></form>"),
    ("handler", "<style onload=$P></style>"),
    ("handler", "<link rel=stylesheet href=x onerror=$P>"),
    ("handler", "<picture><img src=x onerror=$P></picture>"),
    ("handler", "<frameset onload=$P>"),
    ("handler", "<table background=x onerror=$P>"),
    ("handler", "<xss id=x tabindex=1 onfocusin=$P autofocus></xss>"),
    ("handler", "<p oncontentvisibilityautostatechange=$P style=content-visibility:auto>xss"),
    ("handler", "<img src=x onerror=top['__xss']($N)>"),
    ("handler", "<img src=x onerror=window['__x'+'ss']($N)>"),
    ("handler", "<img src=x onerror=self[atob('X194c3M=')]($N)>"),
    ("handler", "<img src=x onerror=eval('$J')>"),
    ("handler", "<img src=x onerror=location='javascript:$P'>"),
    ("handler", "<img src=x onerror=alert`xss$N`>"),
    ("handler", "<img src=x onerror=confirm('xss$N')>"),
    ("handler", "<img src=x onerror=prompt('xss$N')>"),
    ("handler", "<svg onload=alert('xss$N')>"),
    # URLs: javascript:, data:, vbscript: -----------------------------------------------------
    ("url", "<a href=javascript:$P>xss</a>"),
    ("url", '<a href="JaVaScRiPt:$P">xss</a>'),
    ("url", '<a href=" javascript:$P">xss</a>'),
    ("url", '<a href="java\tscript:$P">xss</a>'),
    ("url", '<a href="java\nscript:$P">xss</a>'),
    ("url", '<a href="&#106;avascript:$P">xss</a>'),
    ("url", '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:$P">xss</a>'),
    ("url", '<a href="javascript&colon;$P">xss</a>'),
    ("url", '<a href="javascript&#58;$P">xss</a>'),
    ("url", '<a href="jav&#x09;ascript:$P">xss</a>'),
    ("url", '<a href="javascript:$E">xss</a>'),
    ("url", '<a href="javascript:%5F%5Fxss($N)">xss</a>'),
    ("url", '<a href="data:text/html;base64,$B">xss</a>'),
    ("url", '<a href="data:text/html,<script>$P</script>">xss</a>'),
    ("url", '<a href="vbscript:msgbox(&quot;xss$N&quot;)">xss</a>'),
    ("url", '<a href="VBScript:msgbox(1)">xss$N</a>'),
    ("url", '<iframe src="javascript:parent.$P"></iframe>'),
    ("url", '<iframe src="data:text/html;base64,$B"></iframe>'),
    ("url", '<iframe srcdoc="<script>parent.$P</script>"></iframe>'),
    ("url", '<iframe srcdoc="&lt;img src=x onerror=parent.$P&gt;"></iframe>'),
    ("url", '<object data="javascript:$P"></object>'),
    ("url", '<object data="data:image/svg+xml;base64,$S"></object>'),
    ("url", '<embed src="data:image/svg+xml;base64,$S">'),
    ("url", '<embed src="javascript:$P">'),
    ("url", '<form action="javascript:$P"><button>xss</button></form>'),
    ("url", '<form><input type=submit formaction="javascript:$P" value=xss></form>'),
    ("url", '<isindex action="javascript:$P" type=image>'),
    ("url", '<base href="javascript:$P//">'),
    ("url", '<meta http-equiv="refresh" content="0;url=javascript:$P">'),
    ("url", '<meta http-equiv="refresh" content="0;url=data:text/html;base64,$B">'),
    ("url", '<svg><a xlink:href="javascript:$P"><text y=20>xss</text></a></svg>'),
    ("url", '<svg><a href="javascript:$P"><text y=20>xss</text></a></svg>'),
    ("url", "javascript:$P"),
    ("url", "JAVASCRIPT:$P//xss"),
    ("url", "data:text/html;base64,$B"),
    # SVG and MathML namespace confusion ------------------------------------------------------
    ("namespace", "<svg><script>$P</script></svg>"),
    ("namespace", "<svg><script href=data:,$P /></svg>"),
    ("namespace", "<svg><script>&#95;&#95;xss($N)</script></svg>"),
    ("namespace", "<svg><style><img src=x onerror=$P></style></svg>"),
    ("namespace", "<svg><foreignObject><img src=x onerror=$P></foreignObject></svg>"),
    ("namespace", "<svg><desc><img src=x onerror=$P></desc></svg>"),
    ("namespace", "<svg><title><img src=x onerror=$P></title></svg>"),
    ("namespace", "<math><mtext><img src=x onerror=$P></mtext></math>"),
    ("namespace", "<math><mi xlink:href=javascript:$P>xss</mi></math>"),
    (
        "namespace",
        "<math><maction actiontype=statusline xlink:href=javascript:$P>xss</maction></math>",
    ),
    ("namespace", "<math><mtext><table><mglyph><style><img src=x onerror=$P>"),
    (
        "namespace",
        '<math><mtext><h1><a><h6></a></h6><mglyph><svg><mtext><style><a title="</style><img src=x onerror=$P>">',
    ),
    ("namespace", '<svg></p><style><a id="</style><img src=x onerror=$P>">'),
    ("namespace", "<svg><p><style><img src=x onerror=$P></style></p></svg>"),
    ("namespace", '<svg><use href="data:image/svg+xml;base64,$S#x" /></svg>'),
    (
        "namespace",
        '<svg><handler xmlns:ev="http://www.w3.org/2001/xml-events" ev:event="load">$P</handler></svg>',
    ),
    # Mutation XSS: raw-text and escapable elements ------------------------------------------
    ("mutation", '<noscript><p title="</noscript><img src=x onerror=$P>">'),
    ("mutation", "<noscript><style></noscript><img src=x onerror=$P>"),
    ("mutation", "<style><style/><img src=x onerror=$P>"),
    ("mutation", "<style></style><img src=x onerror=$P>"),
    ("mutation", "<template><img src=x onerror=$P></template>"),
    ("mutation", "<template><script>$P</script></template><div>xss</div>"),
    ("mutation", "<textarea></textarea><img src=x onerror=$P>"),
    ("mutation", '<textarea><img title="</textarea><img src=x onerror=$P>"></textarea>'),
    ("mutation", "<title></title><img src=x onerror=$P>"),
    ("mutation", '<title><img title="</title><img src=x onerror=$P>"></title>'),
    ("mutation", "<xmp></xmp><img src=x onerror=$P>"),
    ("mutation", '<xmp><p title="</xmp><img src=x onerror=$P>">'),
    ("mutation", '<iframe><p title="</iframe><img src=x onerror=$P>">'),
    ("mutation", '<noembed><p title="</noembed><img src=x onerror=$P>">'),
    ("mutation", '<noframes><p title="</noframes><img src=x onerror=$P>">'),
    ("mutation", "<plaintext><img src=x onerror=$P>"),
    ("mutation", "<listing>&lt;img src=x onerror=$P&gt;</listing>"),
    ("mutation", "<form><math><mtext></form><form><mglyph><style></math><img src=x onerror=$P>"),
    ("mutation", "<!--><img src=x onerror=$P>-->"),
    ("mutation", "<!-- --!><img src=x onerror=$P>-->"),
    ("mutation", "<?xml ?><img src=x onerror=$P>"),
    ("mutation", "<![CDATA[><img src=x onerror=$P>]]>"),
    ("mutation", '<a href="</a><img src=x onerror=$P>">xss</a>'),
    ("mutation", "<select><template><style></template><img src=x onerror=$P></style></select>"),
    # Attribute breakouts -------------------------------------------------------------------
    ("attribute", '" onmouseover="$P" x="'),
    ("attribute", '" autofocus onfocus="$P" x="'),
    ("attribute", "' onmouseover='$P' x='"),
    ("attribute", "' autofocus onfocus='$P' x='"),
    ("attribute", "` onmouseover=$P x=`"),
    ("attribute", '"><img src=x onerror=$P>'),
    ("attribute", "'><img src=x onerror=$P>"),
    ("attribute", "`><img src=x onerror=$P>"),
    ("attribute", '" style="animation-name:spin" onanimationstart="$P" x="'),
    ("attribute", '"/><svg onload=$P>'),
    ("attribute", 'x" onfocus=$P autofocus tabindex=1 "'),
    ("attribute", "x' onfocus=$P autofocus tabindex=1 '"),
    ("attribute", "&quot; onmouseover=&quot;$P&quot;"),
    ("attribute", "&#34;&#62;&#60;img src=x onerror=$P&#62;"),
    ("attribute", '\\" onmouseover=\\"$P\\"'),
    ("attribute", "\u201c onmouseover=$P x=\u201d"),
    ("attribute", '"\u00a0onmouseover=$P x="'),
    ("attribute", "';$P;//"),
    ("attribute", '";$P;//'),
    ("attribute", "</script><script>$P</script><!--"),
    ("attribute", "\\u003cimg src=x onerror=$P\\u003e"),
    # HTML entities and Unicode tricks ------------------------------------------------------
    ("encoding", "&lt;img src=x onerror=$P&gt;"),
    ("encoding", "&amp;lt;img src=x onerror=$P&amp;gt;"),
    ("encoding", "&#60;img src=x onerror=$P&#62;"),
    ("encoding", "&#x3C;script&#x3E;$P&#x3C;/script&#x3E;"),
    ("encoding", "\uff1cimg src=x onerror=$P\uff1e"),
    ("encoding", "\u2039img src=x onerror=$P\u203a"),
    ("encoding", "%3Cimg%20src%3Dx%20onerror%3D$U%3E"),
    ("encoding", "%253Cscript%253E$U%253C/script%253E"),
    ("encoding", "+ADw-script+AD4-$P+ADw-/script+AD4-"),
    ("encoding", "\\x3cimg src=x onerror=$P\\x3e"),
    ("encoding", "<img src=x onerror=\u005f\u005fxss($N)>"),
    ("encoding", "<img src=x onerror=\\u005f\\u005fxss($N)>"),
    ("encoding", "<\u0131mg src=x onerror=$P>"),
    ("encoding", "<scr\u0130pt>$P</scr\u0130pt>"),
    ("encoding", "\u202e<img src=x onerror=$P>"),
    ("encoding", "<img\u200bsrc=x onerror=$P>"),
    ("encoding", "<img src=x onerror\u00a0=$P>"),
    ("encoding", "\ufeff<script>$P</script>"),
    # NUL and control characters ------------------------------------------------------------
    ("control", "<scr\x00ipt>$P</scr\x00ipt>"),
    ("control", "<img src=x one\x00rror=$P>"),
    ("control", '<a href="java\x00script:$P">xss</a>'),
    ("control", '<a href="\x01javascript:$P">xss</a>'),
    ("control", "<img src=x\x0bonerror=$P>"),
    ("control", "<img src=x\x0conerror=$P>"),
    ("control", '<a href="java\x1bscript:$P">xss</a>'),
    ("control", "<img src=x\x7fonerror=$P>"),
    ("control", "<img src=x\u0085onerror=$P>"),
    ("control", "<svg\x0conload=$P>"),
    # CSS -----------------------------------------------------------------------------------
    ("css", '<div style="width:expression($P)">xss</div>'),
    ("css", '<div style="background:url(javascript:$P)">xss</div>'),
    ("css", "<div style=\"background-image:url('javascript:$P')\">xss</div>"),
    ("css", "<style>@import 'javascript:$P';</style>"),
    ("css", "<style>@import url(data:text/css;base64,$B);</style>"),
    ("css", '<style>body{background:url("javascript:$P")}</style>'),
    ("css", "<style>*{behavior:url(xss$N.htc)}</style>"),
    ("css", '<style>li{list-style-image:url("javascript:$P")}</style><ul><li>xss</li></ul>'),
    ("css", '<div style="-moz-binding:url(xss$N.xml#x)">xss</div>'),
    ("css", '<link rel=stylesheet href="javascript:$P">'),
    (
        "css",
        '<style>@keyframes x{}</style><div style="animation-name:x" onanimationstart=$P>xss</div>',
    ),
    ("css", '<div style="xss:expr/**/ession($P)">xss</div>'),
    ("css", "<style>\\3c /style\\3e<img src=x onerror=$P></style>"),
    # Markdown --------------------------------------------------------------------------------
    ("markdown", "[xss](javascript:$P)"),
    ("markdown", "[xss](JAVASCRIPT:$P)"),
    ("markdown", "[xss](javascript&#58;$P)"),
    ("markdown", "[xss](&#106;avascript:$P)"),
    ("markdown", "[xss](<javascript:$P>)"),
    ("markdown", "[xss](  javascript:$P  )"),
    ("markdown", "[xss](java\\script:$P)"),
    ("markdown", "[xss](data:text/html;base64,$B)"),
    ("markdown", "[xss](vbscript:msgbox(xss$N))"),
    ("markdown", '![xss](x" onerror="$P)'),
    ("markdown", "![xss](x'onerror='$P')"),
    ("markdown", "![xss](javascript:$P)"),
    ("markdown", '![xss" onerror="$P](x)'),
    ("markdown", "[xss][ref$N]\n\n[ref$N]: javascript:$P"),
    ("markdown", '[xss][r$N]\n\n[r$N]: x "title" onmouseover="$P"'),
    ("markdown", "<javascript:$P>"),
    ("markdown", '<https://example.org/" onmouseover="$P>'),
    ("markdown", "<img src=x onerror=$P>\n\n*xss*"),
    ("markdown", "<div>\n\n<img src=x onerror=$P>\n\n</div>"),
    ("markdown", '[xss](https://example.org "<img src=x onerror=$P>")'),
    ("markdown", "[xss](https://example.org '\" onmouseover=\"$P')"),
    ("markdown", "```html\n<script>$P</script>\n```"),
    ("markdown", "`<img src=x onerror=$P>`"),
    ("markdown", "[<img src=x onerror=$P>](https://example.org)"),
    ("markdown", "**<svg onload=$P>**"),
    ("markdown", "| xss |\n| --- |\n| <img src=x onerror=$P> |"),
    ("markdown", "> <details open ontoggle=$P>"),
    ("markdown", "[xss]: javascript:$P\n\n[xss]"),
    ("markdown", "[a](https://example.org)<!-- <img src=x onerror=$P> -->"),
    ("markdown", "[xss](/\\javascript:$P)"),
    # Template injection (Django, Jinja, JS template literals, Angular/Vue) -------------------
    ("template", "{{ '<img src=x onerror=$P>'|safe }}"),
    ("template", "{% autoescape off %}<img src=x onerror=$P>{% endautoescape %}"),
    ("template", "{{constructor.constructor('$P')()}}"),
    ("template", "${$P}"),
    ("template", "`${$P}`"),
    ("template", "{{$on.constructor('$P')()}}"),
    ("template", "{% raw %}<img src=x onerror=$P>{% endraw %}"),
    ("template", "{{7*7}}<svg onload=$P>"),
    ("template", "#{$P}"),
    ("template", "<%= $P %>"),
    # htmx / Alpine / data-* attribute injection ---------------------------------------------
    ("htmx", '<div hx-get="/xss/$N" hx-trigger="load" hx-swap="outerHTML">xss</div>'),
    ("htmx", '<div hx-on:click="$P" hx-trigger="load">xss</div>'),
    ("htmx", '<div hx-on::load="$P">xss</div>'),
    ("htmx", '<div hx-on-htmx-load="$P">xss</div>'),
    ("htmx", '<img src=x hx-on:htmx:load="$P" data-xss=$N>'),
    ("htmx", '<div hx-trigger="load" hx-vals=\'js:{a:$P}\' hx-post="/xss">xss</div>'),
    ("htmx", '<button hx-post="/xss/$N" hx-trigger="load">xss</button>'),
    ("htmx", '<div data-hx-get="/xss/$N" data-hx-trigger="load">xss</div>'),
    ("htmx", '<div hx-get="data:text/html,<img src=x onerror=$P>" hx-trigger=load>xss</div>'),
    ("htmx", '<div x-data x-init="$P">xss</div>'),
    ("htmx", '<div x-data="{a:$P}">xss</div>'),
    ("htmx", '<div x-data @click="$P">xss</div>'),
    ("htmx", "<div v-html=\"'<img src=x onerror=$P>'\">xss</div>"),
    ("htmx", "<div data-bind=\"html:'<img src=x onerror=$P>'\">xss</div>"),
    ("htmx", '<div data-xss="$P" data-peaks="<img src=x onerror=$P>">xss</div>'),
    ("htmx", '<a href=# data-method=delete data-confirm="xss$N" hx-confirm="xss$N">xss</a>'),
    ("htmx", '" hx-get="/xss/$N" hx-trigger="load" x="'),
    ("htmx", "' hx-on:click='$P' x='"),
]


@dataclass(frozen=True)
class Vector:
    """One XSS attempt: `text` calls `window.__xss(id)` (or opens a dialog) if it runs."""

    id: int
    family: str
    text: str

    @property
    def marker(self) -> str:
        return f"__xss({self.id})"


def _entities(text: str, *, hex_: bool = False, semicolons: bool = True) -> str:
    end = ";" if semicolons else ""
    if hex_:
        return "".join(f"&#x{ord(c):04x}{end}" for c in text)
    return "".join(f"&#{ord(c)}{end}" for c in text)


def _render(template: str, vector_id: int) -> str:
    payload = f"__xss({vector_id})"
    script = f"<script>parent.__xss({vector_id});__xss({vector_id})</script>"
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="x" onload="__xss({vector_id})">'
        f"<script>__xss({vector_id})</script></svg>"
    )
    replacements = {
        "$P": payload,
        "$E": _entities(payload),
        "$X": _entities(payload, hex_=True),
        "$Z": _entities(payload, hex_=True, semicolons=False),
        "$J": "".join(f"\\u{ord(c):04x}" for c in payload),
        "$C": f"eval(String.fromCharCode({','.join(str(ord(c)) for c in payload)}))",
        "$B": base64.b64encode(script.encode()).decode(),
        "$b": base64.b64encode(payload.encode()).decode(),
        "$S": base64.b64encode(svg.encode()).decode(),
        "$U": quote(payload, safe=""),
        "$N": str(vector_id),
    }
    for token, value in replacements.items():
        template = template.replace(token, value)
    return template


VECTORS: tuple[Vector, ...] = tuple(
    Vector(id=index, family=family, text=_render(template, index))
    for index, (family, template) in enumerate(_TEMPLATES, start=1)
)
VECTORS_BY_ID = {v.id: v for v in VECTORS}

assert len(VECTORS) >= 200, f"the corpus holds {len(VECTORS)} vectors; it must hold 200 or more"
assert len({v.text for v in VECTORS}) == len(VECTORS), "two vectors are the same string"
assert len({t for _, t in _TEMPLATES}) == len(_TEMPLATES), "two templates are the same"


def vectors_in_batches(n: int) -> list[list[Vector]]:
    """The corpus in batches of `n` (the last one shorter), for fields that hold many."""
    return [list(VECTORS[i : i + n]) for i in range(0, len(VECTORS), n)]


def joined(vectors: list[Vector]) -> str:
    """Vectors as one long text (a description, a body): each on its own paragraph, so a
    Markdown vector starts a line as it would in a real text."""
    return "\n\n".join(v.text for v in vectors)


def packed(vectors: list[Vector] | tuple[Vector, ...], limit: int) -> list[list[Vector]]:
    """Vectors grouped so each group, joined with a space, fits a short field of `limit`
    characters (a title, a display name). A vector longer than `limit` on its own is left
    out: the field cannot hold it, so it cannot show it."""
    groups: list[list[Vector]] = []
    length = 0
    for vector in vectors:
        if len(vector.text) > limit:
            continue
        if groups and length + 1 + len(vector.text) <= limit:
            groups[-1].append(vector)
            length += 1 + len(vector.text)
        else:
            groups.append([vector])
            length = len(vector.text)
    return groups


def spaced(vectors: list[Vector]) -> str:
    return " ".join(v.text for v in vectors)

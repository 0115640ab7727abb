"""A browser page as every browser test opens one: its own window size and timeout, and a
list of the script errors and failed sub-resources it met (`page.console_errors`)."""


def watched_page(context):
    """A new page of `context` that records script errors and CSP violations, and any
    sub-resource (CSS, fonts, scripts, images) that failed to load. A page answering 4xx to
    a bad form is expected; its assets are not."""
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.console_errors = []
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and not m.text.startswith("Failed to load resource")
            and page.console_errors.append(m.text)
        ),
    )
    page.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.request.resource_type != "document"
            and page.console_errors.append(f"{r.status} {r.url}")
        ),
    )
    return page

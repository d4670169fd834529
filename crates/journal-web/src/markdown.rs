//! Markdown to safe HTML. Raw HTML in an entry is shown as text (never interpreted), and the
//! result is then cleaned by ammonia's allow-list: no scripts, no event handlers, no
//! `javascript:` links, no images that would call out to other sites.

use std::sync::OnceLock;

use pulldown_cmark::{Event, Options, Parser};

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer nofollow"))
            .rm_tags(["img"]);
        b
    })
}

pub fn render(markdown: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 5 / 4);
    pulldown_cmark::html::push_html(&mut html, events);
    cleaner().clean(&html).to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_becomes_html() {
        let html = render("# Today\n\nI felt *lighter* after the walk.\n\n- one\n- two");
        assert!(html.contains("<h1>Today</h1>"));
        assert!(html.contains("<em>lighter</em>"));
        assert!(html.contains("<li>one</li>"));
    }

    #[test]
    fn nothing_executable_survives() {
        let attacks = [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[click](javascript:alert(1))",
            "[click](JaVaScRiPt:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "![pixel](https://tracker.example/p.gif)",
            "<iframe src=https://evil.example></iframe>",
            "<div onclick=alert(1)>x</div>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        ];
        for a in attacks {
            let html = render(a).to_lowercase();
            assert!(!html.contains("<script"), "{a}: {html}");
            assert!(!html.contains("<a href=\"javascript"), "{a}: {html}");
            assert!(!html.contains("onerror") || html.contains("&lt;img"), "{a}: {html}");
            assert!(!html.contains("<img"), "{a}: {html}");
            assert!(!html.contains("<iframe"), "{a}: {html}");
            assert!(!html.contains("<a href=\"data:"), "{a}: {html}");
            assert!(!html.contains("<div"), "{a}: {html}");
        }
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        assert!(render("a <b>bold</b> claim").contains("&lt;b&gt;bold&lt;/b&gt;"));
    }

    #[test]
    fn links_are_kept_safe() {
        let html = render("[help](https://988lifeline.org)");
        assert!(html.contains("href=\"https://988lifeline.org\""));
        assert!(html.contains("rel=\"noopener noreferrer nofollow\""));
    }
}

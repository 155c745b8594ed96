//! Build script of the widget: writes `style/widget.css` without comments and needless
//! whitespace to `$OUT_DIR/widget.css`, which `src/host.rs` includes, and the built-in survey
//! `model/surveys/default.json` without its indentation to `$OUT_DIR/default.json`, which
//! `src/survey.rs` includes. The sources stay readable; the wasm carries only what the browser
//! needs.

use std::{env, fs, io, path::Path};

fn main() -> io::Result<()> {
    const STYLE: &str = "style/widget.css";
    const SURVEY: &str = "model/surveys/default.json";
    println!("cargo::rerun-if-changed={STYLE}");
    println!("cargo::rerun-if-changed={SURVEY}");
    let out = Path::new(&env::var_os("OUT_DIR").ok_or(io::ErrorKind::NotFound)?).to_owned();
    fs::write(
        out.join("widget.css"),
        minify_css(&fs::read_to_string(STYLE)?),
    )?;
    fs::write(
        out.join("default.json"),
        minify_json(&fs::read_to_string(SURVEY)?),
    )
}

/// Drops the whitespace between JSON tokens; strings are copied unchanged.
fn minify_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

/// Drops comments, collapses whitespace runs to one space, and removes the space next to
/// `{`, `}`, `;`, `,` and after `:`, where CSS never needs it, and the `;` before a `}`.
/// Quoted strings are copied unchanged. A space before `:` or `(` is kept: in a selector or a
/// media query it is significant (`.a :hover`, `and (`).
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for c in chars.by_ref() {
                    if prev == '*' && c == '/' {
                        break;
                    }
                    prev = c;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            '"' | '\'' => {
                push_space(&mut out, &mut space);
                out.push(c);
                let mut escaped = false;
                for s in chars.by_ref() {
                    out.push(s);
                    if s == c && !escaped {
                        break;
                    }
                    escaped = s == '\\' && !escaped;
                }
            }
            '}' => {
                space = false;
                if out.ends_with(';') {
                    out.pop();
                }
                out.push(c);
            }
            '{' | ';' | ',' => {
                space = false;
                out.push(c);
            }
            _ => {
                push_space(&mut out, &mut space);
                out.push(c);
            }
        }
    }
    out
}

/// Writes a pending space unless the previous character makes it needless.
fn push_space(out: &mut String, space: &mut bool) {
    if std::mem::take(space) && !out.is_empty() && !out.ends_with(['{', '}', ';', ',', ':']) {
        out.push(' ');
    }
}

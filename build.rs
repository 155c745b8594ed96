//! Build script of the widget: writes `style/widget.css` without comments and needless
//! whitespace to `$OUT_DIR/widget.css`, which `src/host.rs` includes. The source stays
//! commented; the wasm carries only what the browser needs.

use std::{env, fs, io, path::Path};

fn main() -> io::Result<()> {
    const SOURCE: &str = "style/widget.css";
    println!("cargo::rerun-if-changed={SOURCE}");
    let css = fs::read_to_string(SOURCE)?;
    let out = Path::new(&env::var_os("OUT_DIR").ok_or(io::ErrorKind::NotFound)?).join("widget.css");
    fs::write(out, minify_css(&css))
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

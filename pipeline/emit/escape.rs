//! The one way text enters the HTML skm writes (the city report, the unit pages, the follow-up
//! section): `&`, `<`, `>` and `"` escaped, so that a unit's name or a plan's words can never
//! become markup.

/// `s` as HTML text or attribute value.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_in_a_name_stays_text() {
        assert_eq!(
            super::esc("<b>\"Kec.\" & Co</b>"),
            "&lt;b&gt;&quot;Kec.&quot; &amp; Co&lt;/b&gt;"
        );
    }
}

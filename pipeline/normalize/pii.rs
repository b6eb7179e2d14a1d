//! Personal data recognized by content, whatever the column is called: NIK (16 digits), phone
//! numbers (08…, +62…), e-mail addresses. Such a value is never copied into silver, gold,
//! reports or the rejects table (where it is shown masked).

/// True for a value that looks like a NIK, a phone number or an e-mail address.
pub fn looks_personal(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return false;
    }
    // e-mail: something@something.something, no spaces
    if let Some((user, host)) = t.split_once('@') {
        if !user.is_empty() && host.contains('.') && !t.contains(char::is_whitespace) {
            return true;
        }
    }
    let digits: String = t.chars().filter(|c| c.is_ascii_digit()).collect();
    let only_number_chars = t
        .chars()
        .all(|c| c.is_ascii_digit() || " -+().".contains(c));
    if !only_number_chars {
        return false;
    }
    // NIK: 16 digits
    if digits.len() == 16 {
        return true;
    }
    // Indonesian phone numbers: 08xxxxxxxx(xx), 62 8xx…, 021 landlines
    let local = digits
        .strip_prefix("62")
        .map(|d| format!("0{d}"))
        .unwrap_or(digits.clone());
    local.starts_with('0') && (9..=13).contains(&local.len())
}

/// The value as shown in rejects: masked when personal.
pub fn shown(s: &str) -> String {
    if looks_personal(s) {
        "[data pribadi disamarkan]".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_personal_values() {
        for v in [
            "3275012345678901",
            "3275 0123 4567 8901",
            "081234567890",
            "+62 812-3456-7890",
            "021 8812345",
            "budi@example.co.id",
        ] {
            assert!(looks_personal(v), "{v}");
        }
        for v in [
            "4",
            "Sangat sesuai",
            "86.85",
            "2024",
            "15/10/2024",
            "Surat Keterangan Domisili",
            "S1",
            "100000",
            "1.2.01.1",
        ] {
            assert!(!looks_personal(v), "{v}");
        }
        assert_eq!(shown("081234567890"), "[data pribadi disamarkan]");
        assert_eq!(shown("tiga"), "tiga");
    }
}

//! Input rules shared by the client's forms and the reference server: one definition of a valid email and phone.

/// True for an E.164 phone number: `+`, then 7 to 15 digits, not starting with 0.
pub fn is_e164(p: &str) -> bool {
    let digits = p.strip_prefix('+').unwrap_or("");
    (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

/// A plausible email address: one `@`, something before it, a dotted domain after it, no spaces.
pub fn is_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !e.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

//! Exports as they leave tinbox: every cell clean and safe to open in a spreadsheet, whatever the server
//! sent.

use super::{BackendError, BackendResult};

/// Re-writes a server's CSV with every cell passed through [`tinbox_core::text::csv_cell`]: no escape
/// sequence or invisible character, and no cell a spreadsheet would run as a formula.
pub fn safe_csv(raw: &str) -> BackendResult<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(raw.as_bytes());
    let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
    let unreadable = |e: csv::Error| BackendError::BadResponse(format!("the export is not CSV ({e})").into());
    for record in reader.records() {
        let record = record.map_err(unreadable)?;
        writer.write_record(record.iter().map(tinbox_core::text::csv_cell)).map_err(unreadable)?;
    }
    let bytes = writer.into_inner().map_err(|e| BackendError::BadResponse(format!("{e}").into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_is_clean_and_no_formula_survives() {
        let raw = "id,name,phone\n1,\"=cmd|' /C calc'!A0\",+14155550123\n2,\"Ana\u{1b}[31m\u{200b}\",@x\n";
        let safe = safe_csv(raw).unwrap();
        assert_eq!(safe, "id,name,phone\n1,'=cmd|' /C calc'!A0,'+14155550123\n2,Ana,'@x\n");
        assert_eq!(safe_csv(&safe).unwrap(), safe, "safe twice is the same");
    }
}

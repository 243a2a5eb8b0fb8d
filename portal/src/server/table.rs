//! CSV downloads: one writer for every table, with the text members wrote on chain (site,
//! member and contract names) neutralised, so no spreadsheet that opens a download runs it as a
//! formula.

/// `text` as a cell a spreadsheet shows as text: one that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return (what Excel, LibreOffice and Google Sheets read as a formula) gets a
/// leading `'`, which they hide. For text only: numbers the portal formats stay numbers.
pub fn text(text: &str) -> String {
	match text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
		true => format!("'{text}"),
		false => text.to_string(),
	}
}

/// `rows` as CSV under `header`.
pub fn csv<const N: usize>(
	header: [&str; N],
	rows: impl IntoIterator<Item = [String; N]>,
) -> Result<String, csv::Error> {
	let mut writer = csv::Writer::from_writer(Vec::new());
	writer.write_record(header)?;
	for row in rows {
		writer.write_record(row)?;
	}
	let bytes = writer.into_inner().map_err(|error| error.into_error())?;
	Ok(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn text_that_a_spreadsheet_would_run_is_shown_as_text() {
		for formula in ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
			assert_eq!(text(formula), format!("'{formula}"));
		}
		assert_eq!(text("Main hall"), "Main hall");
		assert_eq!(text(""), "");
	}

	#[test]
	fn a_table_has_its_header_and_rows() {
		let table =
			csv(["name", "kwh"], [[text("=cmd|' /C calc'!A0"), "-12.500".to_string()]]).unwrap();
		assert_eq!(table, "name,kwh\n'=cmd|' /C calc'!A0,-12.500\n");
	}
}

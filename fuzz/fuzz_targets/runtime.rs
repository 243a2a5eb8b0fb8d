//! libFuzzer's target: one input is one run of the runtime ([`smartblocks_fuzz::run`]); a finding
//! or a panic is a crash, which libFuzzer saves with its input.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	if let Err(finding) = smartblocks_fuzz::run(data) {
		panic!("{finding}");
	}
});

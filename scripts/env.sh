# Shared environment for scripts/setup, scripts/demo, scripts/test and .ci/run.
# Sourced, not executed.

# One fixed target directory outside the clone, so every clone (and CI) reuses the same cache.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/smartblocks/target}"
# OpenSSL, which the node's networking links (litep2p's WebRTC, through str0m): Debian's
# (libssl-dev, which scripts/setup installs, patched by apt), not the copy of its C sources
# str0m asks for, whose build takes 2.5 minutes of a cold build here. Set to 0 for the copy.
export OPENSSL_NO_VENDOR="${OPENSSL_NO_VENDOR:-1}"
# Clang for C++ (scripts/setup installs it): binaryen, the wasm optimiser's C++ that
# substrate-wasm-builder compiles for every build of the runtime, compiles (at -O0, as build
# dependencies do) in about half the time g++ takes here (4 against 8 minutes of one core).
if [ -z "${CXX:-}" ] && command -v clang++ >/dev/null 2>&1; then
  export CXX=clang++
fi
# The tool chain that scripts/setup links to Debian's Rust when rustup cannot add wasm targets.
SMARTBLOCKS_WASM_TOOLCHAIN=smartblocks-wasm

installed_targets=$(rustup target list --installed 2>/dev/null || true)

# Point substrate-wasm-builder at the fallback tool chain unless rustup's own has the target.
if ! grep -qx 'wasm32v1-none' <<<"$installed_targets"; then
  if rustup toolchain list 2>/dev/null | grep -q "^$SMARTBLOCKS_WASM_TOOLCHAIN"; then
    export WASM_BUILD_TOOLCHAIN="$SMARTBLOCKS_WASM_TOOLCHAIN"
  fi
fi

# Clippy lints our crates as every build compiles them (scripts/rustc-with-clippy: clippy's driver
# checks a crate against the dependencies the build compiled, then rustc compiles it), so the
# tests' build is also the lint and no `cargo clippy` checks the whole tree again (11 CPU-minutes
# of a cold scripts/test here, and 3 for the portal's). Every script builds this way, demo and
# tests alike: cargo names our crates' outputs after the wrapper's path, so a build without it,
# or with it at another path, compiles them all again. Hence a path outside the clone, named
# after what the lint is (the wrapper and clippy.toml): the same for every clone of a commit, and
# a new one, which lints and compiles our crates afresh, when the lint changes (cargo would not
# know). Lints warn here; scripts/test fails on any warning. Set RUSTC_WORKSPACE_WRAPPER
# yourself (empty for plain rustc) to build otherwise.
smartblocks_lint_wrapper() {
  local here lint
  here=$(dirname "${BASH_SOURCE[0]}")
  lint=$(cat "$here/rustc-with-clippy" "$here/../clippy.toml" | sha256sum | cut -c1-16)
  echo "$HOME/.cache/smartblocks/bin/$lint/rustc-with-clippy"
}
if [ -z "${RUSTC_WORKSPACE_WRAPPER+set}" ] &&
  SMARTBLOCKS_CLIPPY_DRIVER=$(rustup which clippy-driver 2>/dev/null); then
  export SMARTBLOCKS_CLIPPY_DRIVER
  RUSTC_WORKSPACE_WRAPPER=$(smartblocks_lint_wrapper)
  if [ ! -x "$RUSTC_WORKSPACE_WRAPPER" ]; then
    # Another script may be starting it: a new file, renamed into place.
    mkdir -p "$(dirname "$RUSTC_WORKSPACE_WRAPPER")"
    install -m 0755 "$(dirname "${BASH_SOURCE[0]}")/rustc-with-clippy" "$RUSTC_WORKSPACE_WRAPPER.$$"
    mv -f "$RUSTC_WORKSPACE_WRAPPER.$$" "$RUSTC_WORKSPACE_WRAPPER"
  fi
  export RUSTC_WORKSPACE_WRAPPER
fi

# The tool chain that builds the portal's browser half: rustup's, or the fallback's, whose
# compiler is another than the host's clippy driver (which then is not used: the fallback's
# browser half is linted natively by scripts/test).
if grep -qx 'wasm32-unknown-unknown' <<<"$installed_targets"; then
  SMARTBLOCKS_WEB_CARGO=(cargo)
  SMARTBLOCKS_WEB_LINTED=1
else
  SMARTBLOCKS_WEB_CARGO=(env RUSTC_WORKSPACE_WRAPPER= cargo "+$SMARTBLOCKS_WASM_TOOLCHAIN")
  SMARTBLOCKS_WEB_LINTED=""
fi

# The cargo profile that builds the node and runs every test, so the tree compiles once.
export SMARTBLOCKS_PROFILE=release
node_binary() { echo "$CARGO_TARGET_DIR/$SMARTBLOCKS_PROFILE/smartblocks-node"; }
bridge_binary() { echo "$CARGO_TARGET_DIR/$SMARTBLOCKS_PROFILE/meter-bridge"; }
cli_binary() { echo "$CARGO_TARGET_DIR/$SMARTBLOCKS_PROFILE/smartblocks"; }
# The portal is its own workspace (portal/Cargo.toml) but builds into the same folder.
portal_binary() { echo "$CARGO_TARGET_DIR/$SMARTBLOCKS_PROFILE/smartblocks-portal"; }

# The two node tests that need a build of their own and are ignored otherwise (nextest filters):
# scripts/try-upgrade and scripts/check-metadata-hash run them, scripts/test runs the first with
# the other tests.
TRY_UPGRADE_TEST='package(smartblocks-node) & binary(integration) & test(=try_upgrade::the_next_runtime_upgrades_a_copy_of_a_live_chain_with_every_check)'
METADATA_HASH_TEST='package(smartblocks-node) & binary(integration) & test(=metadata_hash::the_production_runtime_accepts_a_transaction_signed_over_its_metadata_hash)'
# The fault suite (node/tests/integration/faults.rs), which scripts/test-faults runs whole; its
# ten-minute outage test is ignored otherwise, and scripts/test leaves it out.
FAULT_TESTS='package(smartblocks-node) & binary(integration) & test(/^faults::/)'
LONG_OUTAGE_TEST='package(smartblocks-node) & binary(integration) & test(=faults::every_reading_recorded_while_all_validators_are_down_reaches_the_chain_once)'

# The package a manifest names (the `name` of its [package] table), or a failure naming the file.
package_name() {
  local name
  name=$(sed -n '/^\[package\]/,/^\[/{s/^name = "\(.*\)"$/\1/p}' "$1")
  [ -n "$name" ] || { echo "$1 names no package" >&2; return 1; }
  echo "$name"
}

# Builds the workspace's binaries (node, bridge, command line, load generator) and none of its
# tests. The tests' build compiles every dependency with the same features (no dev-dependency
# adds one; scripts/test checks it), so switching between the demo and the tests never
# recompiles the polkadot-sdk tree. The try-runtime build of the runtime is left out: only
# scripts/try-upgrade and scripts/test use it.
build_binaries() {
  cargo build --"$SMARTBLOCKS_PROFILE" --workspace --exclude smartblocks-runtime-try-runtime \
    --bins "$@"
}

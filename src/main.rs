//! The `pdscout` binary: everything is in the library's [`pdscout::app`].

fn main() {
    std::process::exit(pdscout::app::main());
}

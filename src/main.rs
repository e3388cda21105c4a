fn main() -> std::process::ExitCode {
    huishen::cli::main()
}

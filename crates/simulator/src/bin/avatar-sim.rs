//! Standalone avatar simulator: `avatar-sim --port 8750 [bot and fault flags]`.
//! See docs/simulator.md.

use std::net::SocketAddr;

use avatar_simulator::cli::Args;
use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY};
use clap::Parser;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let config = match args.sim_config() {
        Ok(config) => config,
        Err(e) => {
            // A bad file is the user's mistake: say which line, no backtrace.
            eprintln!("avatar-sim: {e}");
            std::process::exit(2);
        }
    };
    let avatars: Vec<String> = config
        .avatars
        .iter()
        .map(|a| format!("{} ({})", a.id, a.name))
        .collect();
    let handle = avatar_simulator::spawn(config, SocketAddr::new(args.host, args.port)).await?;
    // The first line of stdout is the base URL, so scripts can read it.
    println!("{}", handle.base_url());
    eprintln!("Logon URL:  {}", handle.logon_url());
    eprintln!("account id: {DEFAULT_ACCOUNT_ID} (if not overridden by --config)");
    eprintln!("API key:    {DEFAULT_API_KEY}");
    for avatar in avatars {
        eprintln!("avatar:     {avatar}");
    }
    eprintln!(
        "admin:      {}/_admin/config, {}/_admin/events",
        handle.base_url(),
        handle.base_url()
    );
    tokio::signal::ctrl_c().await?;
    Ok(())
}

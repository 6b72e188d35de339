//! Standalone avatar simulator: `avatar-sim --port 8750`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use avatar_simulator::{DEFAULT_ACCOUNT_ID, DEFAULT_API_KEY, DEFAULT_AVATAR_ID, SimConfig};
use clap::Parser;

#[derive(Parser)]
#[command(version, about = "Local Voximplant Avatar API simulator")]
struct Args {
    /// Address to bind; keep the default unless other machines must reach it.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8750)]
    port: u16,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let handle = avatar_simulator::spawn(SimConfig::default(), SocketAddr::new(args.host, args.port)).await?;
    // The first line of stdout is the base URL, so scripts can read it.
    println!("{}", handle.base_url());
    eprintln!("Logon URL:  {}", handle.logon_url());
    eprintln!("account id: {DEFAULT_ACCOUNT_ID}");
    eprintln!("API key:    {DEFAULT_API_KEY}");
    eprintln!("avatar id:  {DEFAULT_AVATAR_ID}");
    tokio::signal::ctrl_c().await?;
    Ok(())
}

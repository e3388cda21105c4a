use crate::i18n::{cmd, refusal};
use std::path::PathBuf;

use huishen_core::review::Workspace;

#[derive(Debug, clap::Args)]
pub struct Args {
    workspace: PathBuf,
    /// Signatures a record needs before it is locked
    #[arg(long)]
    signatures: Option<i64>,
    /// Whether the signatures must come from distinct roles
    #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
    distinct_roles: Option<bool>,
    /// Whether the last signer may not be the only person who corrected the record
    #[arg(long, value_parser = clap::builder::BoolishValueParser::new())]
    four_eyes: Option<bool>,
    /// Minutes without activity after which a reviewer's claim on a record lapses
    #[arg(long)]
    claim_minutes: Option<i64>,
    /// The administrator (组长) changing the policy; asks for their passphrase
    #[arg(long = "as", value_name = "ADMINISTRATOR", env = "HUISHEN_ADMIN")]
    admin: Option<String>,
    #[command(flatten)]
    format: super::format::FormatArg,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut ws = Workspace::open(&args.workspace)?;
    let mut policy = ws.policy()?;
    if args.signatures.is_some()
        || args.distinct_roles.is_some()
        || args.four_eyes.is_some()
        || args.claim_minutes.is_some()
    {
        policy.claim_minutes = args.claim_minutes.unwrap_or(policy.claim_minutes);
        policy.signatures_required = args.signatures.unwrap_or(policy.signatures_required);
        policy.distinct_roles = args.distinct_roles.unwrap_or(policy.distinct_roles);
        policy.four_eyes = args.four_eyes.unwrap_or(policy.four_eyes);
        let Some(admin) = &args.admin else {
            return Err(refusal(|lang| cmd::policy_needs_admin(lang).to_string()).into());
        };
        let by = super::passphrase::administrator(&ws, admin)?;
        ws.set_policy(policy, &by)?;
    }
    let lang = super::lang();
    let yes_no = |b: bool| if b { cmd::yes(lang) } else { cmd::no(lang) };
    let whole = serde_json::json!({
        "signatures": policy.signatures_required, "distinct_roles": policy.distinct_roles,
        "four_eyes": policy.four_eyes, "claim_minutes": policy.claim_minutes,
    });
    let rows = [whole.clone()];
    super::format::emit(args.format.get(), &whole, &rows, || {
        Ok(format!(
            "{}\n{}\n{}\n{}\n",
            cmd::policy_signatures(lang, policy.signatures_required),
            cmd::policy_roles(lang, yes_no(policy.distinct_roles)),
            cmd::policy_four_eyes(lang, yes_no(policy.four_eyes)),
            cmd::policy_claims(lang, policy.claim_minutes)
        ))
    })
}

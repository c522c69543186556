//! Builders for every `staking` instruction.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::pubkey::Pubkey;
use anchor_lang::{system_program, InstructionData, ToAccountMetas};
use anchor_spl::token;
use staking::{accounts, instruction, DeviceClassArgs, InitializeArgs};

use crate::pda;

fn build(accounts: impl ToAccountMetas, data: impl InstructionData) -> Instruction {
    Instruction {
        program_id: staking::ID,
        accounts: accounts.to_account_metas(None),
        data: data.data(),
    }
}

fn signers(ix: &mut Instruction, keys: &[Pubkey]) {
    ix.accounts
        .extend(keys.iter().map(|k| {
            anchor_lang::solana_program::instruction::AccountMeta::new_readonly(*k, true)
        }));
}

fn event_authority() -> Pubkey {
    pda::event_authority(&staking::ID)
}

pub fn initialize(authority: Pubkey, args: InitializeArgs) -> Instruction {
    build(
        accounts::Initialize {
            authority,
            config: pda::staking::config(),
            emission_authority: pda::staking::emission_authority(),
            reward_vault: pda::staking::reward_vault(),
            escrow_vault: pda::staking::escrow_vault(),
            ledger: pda::staking::ledger(),
            io_token_config: pda::io_token::config(),
            io_mint: staking::IO_MINT,
            program_data: pda::program_data(&staking::ID),
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::Initialize { args },
    )
}

pub fn set_device_class(authority: Pubkey, args: DeviceClassArgs) -> Instruction {
    build(
        accounts::SetDeviceClass {
            authority,
            config: pda::staking::config(),
            device_class: pda::staking::device_class(args.class_id),
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SetDeviceClass { args },
    )
}

pub fn register_node(supplier: Pubkey, class_id: u16, node_id: u64) -> Instruction {
    let node = pda::staking::node(&supplier, node_id);
    build(
        accounts::RegisterNode {
            supplier,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            device_class: pda::staking::device_class(class_id),
            node,
            node_vault: pda::staking::vault(&node),
            io_mint: staking::IO_MINT,
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::RegisterNode { node_id },
    )
}

/// `set_modifiers`, signed by `oracles` (a quorum of the oracle set).
pub fn set_modifiers(
    oracles: &[Pubkey],
    node: Pubkey,
    class_id: u16,
    modifiers_bps: [u16; 4],
) -> Instruction {
    let mut ix = build(
        accounts::SetModifiers {
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            device_class: pda::staking::device_class(class_id),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SetModifiers { modifiers_bps },
    );
    signers(&mut ix, oracles);
    ix
}

/// The system `create_account` of the reward history ring at the keypair address `history`,
/// for the deployer to send together with `init_history`.
pub fn create_history_account(payer: Pubkey, history: Pubkey, lamports: u64) -> Instruction {
    anchor_lang::solana_program::system_instruction::create_account(
        &payer,
        &history,
        lamports,
        staking::RewardHistory::SPACE as u64,
        &staking::ID,
    )
}

pub fn init_history(authority: Pubkey, history: Pubkey) -> Instruction {
    build(
        accounts::InitHistory {
            authority,
            config: pda::staking::config(),
            history,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::InitHistory {},
    )
}

/// `report_uptime`, signed by `oracles` (a quorum of the oracle set).
pub fn report_uptime(
    oracles: &[Pubkey],
    history: Pubkey,
    node: Pubkey,
    hour: u64,
    uptime_bps: u16,
) -> Instruction {
    let mut ix = build(
        accounts::ReportUptime {
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            history,
            node,
            node_vault: pda::staking::vault(&node),
            reward_vault: pda::staking::reward_vault(),
            io_mint: staking::IO_MINT,
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::ReportUptime { hour, uptime_bps },
    );
    signers(&mut ix, oracles);
    ix
}

/// `slash_malicious` creating the node's slash record `slash_id` (its current `slash_count`).
pub fn slash_malicious(authority: Pubkey, node: Pubkey, slash_id: u64, bps: u16) -> Instruction {
    slash_malicious_compensating(authority, node, slash_id, bps, None, 0)
}

/// `slash_malicious` paying `renter_compensation` of the slashed tokens at once to the harmed
/// renter's IO account `renter_tokens`.
pub fn slash_malicious_compensating(
    authority: Pubkey,
    node: Pubkey,
    slash_id: u64,
    bps: u16,
    renter_tokens: Option<Pubkey>,
    renter_compensation: u64,
) -> Instruction {
    build(
        accounts::SlashMalicious {
            authority,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            node_vault: pda::staking::vault(&node),
            reward_vault: pda::staking::reward_vault(),
            escrow_vault: pda::staking::escrow_vault(),
            slash: pda::staking::slash(&node, slash_id),
            renter_tokens,
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SlashMalicious {
            bps,
            renter_compensation,
        },
    )
}

pub fn finalize_slash(node: Pubkey, slash: Pubkey) -> Instruction {
    build(
        accounts::FinalizeSlash {
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            slash,
            node,
            escrow_vault: pda::staking::escrow_vault(),
            io_mint: staking::IO_MINT,
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::FinalizeSlash {},
    )
}

pub fn uphold_appeal(authority: Pubkey, node: Pubkey, slash: Pubkey) -> Instruction {
    build(
        accounts::UpholdAppeal {
            authority,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            slash,
            node,
            node_vault: pda::staking::vault(&node),
            reward_vault: pda::staking::reward_vault(),
            escrow_vault: pda::staking::escrow_vault(),
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::UpholdAppeal {},
    )
}

pub fn stake(staker: Pubkey, node: Pubkey, staker_tokens: Pubkey, amount: u64) -> Instruction {
    build(
        accounts::Stake {
            staker,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            node_vault: pda::staking::vault(&node),
            position: pda::staking::position(&node, &staker),
            staker_tokens,
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::Stake { amount },
    )
}

pub fn request_unstake(staker: Pubkey, node: Pubkey, amount: u64) -> Instruction {
    build(
        accounts::RequestUnstake {
            staker,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            position: pda::staking::position(&node, &staker),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::RequestUnstake { amount },
    )
}

/// `withdraw` of the position's stake whose cooldown has ended. The supplier's own position
/// first pays the node's uptime debt (burned from the withdrawal).
pub fn withdraw(staker: Pubkey, node: Pubkey, destination: Pubkey) -> Instruction {
    build(
        accounts::Withdraw {
            staker,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            node_vault: pda::staking::vault(&node),
            position: pda::staking::position(&node, &staker),
            destination,
            io_mint: staking::IO_MINT,
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::Withdraw {},
    )
}

/// `crank_hour` for hours `first_hour..first_hour + hours`, reading `price_feed` and writing
/// the reward `history` ring (both as pinned in the config).
pub fn crank_hour(
    cranker: Pubkey,
    price_feed: Pubkey,
    history: Pubkey,
    first_hour: u64,
    hours: u8,
) -> Instruction {
    build(
        accounts::CrankHour {
            cranker,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            history,
            price_feed,
            emission_authority: pda::staking::emission_authority(),
            io_token_config: pda::io_token::config(),
            io_mint: pda::io_token::io_mint(),
            io_mint_authority: pda::io_token::mint_authority(),
            reward_vault: pda::staking::reward_vault(),
            io_token_event_authority: pda::event_authority(&io_token::ID),
            io_token_program: io_token::ID,
            token_program: token::ID,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::CrankHour { first_hour, hours },
    )
}

pub fn claim_node_rewards(supplier: Pubkey, node: Pubkey, destination: Pubkey) -> Instruction {
    build(
        accounts::ClaimNodeRewards {
            supplier,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            reward_vault: pda::staking::reward_vault(),
            destination,
            io_mint: staking::IO_MINT,
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::ClaimNodeRewards {},
    )
}

pub fn claim_stake_rewards(staker: Pubkey, node: Pubkey, destination: Pubkey) -> Instruction {
    build(
        accounts::ClaimStakeRewards {
            staker,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            position: pda::staking::position(&node, &staker),
            reward_vault: pda::staking::reward_vault(),
            destination,
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::ClaimStakeRewards {},
    )
}

pub fn set_node_state(supplier: Pubkey, node: Pubkey, action: staking::NodeAction) -> Instruction {
    build(
        accounts::SetNodeState {
            supplier,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            io_token_config: pda::io_token::config(),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SetNodeState { action },
    )
}

pub fn activate_node(node: Pubkey) -> Instruction {
    build(
        accounts::ActivateNode {
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::ActivateNode {},
    )
}

pub fn set_hired(hire_authority: Pubkey, node: Pubkey, hired: bool) -> Instruction {
    build(
        accounts::SetHired {
            hire_authority,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SetHired { hired },
    )
}

/// `burn_node_rewards` signed by the hire authority (the reservations config PDA through
/// `report_failure`; a direct call by any key is refused).
pub fn burn_node_rewards(hire_authority: Pubkey, node: Pubkey) -> Instruction {
    build(
        accounts::BurnNodeRewards {
            hire_authority,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            reward_vault: pda::staking::reward_vault(),
            io_mint: staking::IO_MINT,
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::BurnNodeRewards {},
    )
}

pub fn cancel_unstake(staker: Pubkey, node: Pubkey) -> Instruction {
    build(
        accounts::CancelUnstake {
            staker,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            position: pda::staking::position(&node, &staker),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::CancelUnstake {},
    )
}

pub fn update_params(authority: Pubkey, params: InitializeArgs) -> Instruction {
    build(
        accounts::UpdateParams {
            authority,
            config: pda::staking::config(),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::UpdateParams { params },
    )
}

pub fn set_paused(authority: Pubkey, paused: bool) -> Instruction {
    build(
        accounts::SetPaused {
            authority,
            config: pda::staking::config(),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SetPaused { paused },
    )
}

pub fn propose_authority(authority: Pubkey, new_authority: Pubkey) -> Instruction {
    build(
        accounts::ProposeAuthority {
            authority,
            config: pda::staking::config(),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::ProposeAuthority { new_authority },
    )
}

pub fn accept_authority(new_authority: Pubkey) -> Instruction {
    build(
        accounts::AcceptAuthority {
            new_authority,
            config: pda::staking::config(),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::AcceptAuthority {},
    )
}

/// `close_position`: the staker closes its empty position on `node` and gets the rent back.
pub fn close_position(staker: Pubkey, node: Pubkey) -> Instruction {
    build(
        accounts::ClosePosition {
            staker,
            node,
            position: pda::staking::position(&node, &staker),
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::ClosePosition {},
    )
}

/// `close_slash`: the authority closes a decided slash record and gets the rent back.
pub fn close_slash(authority: Pubkey, slash: Pubkey) -> Instruction {
    build(
        accounts::CloseSlash {
            authority,
            config: pda::staking::config(),
            slash,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::CloseSlash {},
    )
}

/// `deregister_node`: the supplier closes its terminated, settled node and its vault.
pub fn deregister_node(supplier: Pubkey, node: Pubkey) -> Instruction {
    build(
        accounts::DeregisterNode {
            supplier,
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            node,
            node_vault: pda::staking::vault(&node),
            reward_vault: pda::staking::reward_vault(),
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::DeregisterNode {},
    )
}

/// `sweep_node_vault`: moves a node vault's surplus over its stake to the reward vault.
pub fn sweep_node_vault(node: Pubkey) -> Instruction {
    build(
        accounts::SweepNodeVault {
            config: pda::staking::config(),
            node,
            node_vault: pda::staking::vault(&node),
            reward_vault: pda::staking::reward_vault(),
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SweepNodeVault {},
    )
}

/// `sweep_escrow_vault`: moves the escrow's surplus over its pending slashes to the reward vault.
pub fn sweep_escrow_vault() -> Instruction {
    build(
        accounts::SweepEscrowVault {
            config: pda::staking::config(),
            ledger: pda::staking::ledger(),
            escrow_vault: pda::staking::escrow_vault(),
            reward_vault: pda::staking::reward_vault(),
            token_program: token::ID,
            event_authority: event_authority(),
            program: staking::ID,
        },
        instruction::SweepEscrowVault {},
    )
}

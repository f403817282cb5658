// The risk subsystem: what other subsystems include.
//
//   risk_rules.h     the TOML rules (config/risk_rules.toml is the documented default)
//   risk_engine.h    RiskEngine::Assess / Rank: score, level, factors and the records behind them
//   risk_views.h     JSON for the UI and API, text for the CLI
//   screen_signals.h subjects from screening: a list's hits, an entity's open alerts
#pragma once

#include "risk/risk_engine.h"
#include "risk/risk_rules.h"
#include "risk/risk_views.h"
#include "risk/screen_signals.h"

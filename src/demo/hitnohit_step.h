// The demo's hit/no-hit step (issue 7): a French officer asks Morocco's node about two
// travellers without sending any list and without Morocco opening its files: one hit (an opaque
// reference and a score band; the record is a smuggling-ring leader Morocco does not share
// outright) and one no-hit; the same questions again in privacy-preserving mode (keyed Bloom
// filters, no name or date in the clear); then a follow-up request, which Morocco's liaison
// officer approves, and the released record arriving at the French node, signed, with its
// provenance.
//
// Prints (each outcome computed): "traveller 1 ...: hit, reference hnh-..., band ...",
// "traveller 2 ...: no-hit", "follow-up fu-... approved by ...", "received at DGSI: ...".
//
// Thread-safety: one thread.
#pragma once

#include <string>

#include "common/status.h"
#include "demo/sample_data.h"
#include "demo/two_nodes.h"

namespace entente::demo {

struct HitNoHitStepInput {
  const SampleData* data = nullptr;
  std::string officer = "fr-officer";  // the French border officer asking
  std::string liaison = "ma-liaison";  // Morocco's liaison officer deciding
};

// REQUIRES: `nodes` started and the exchange step run (France's agreement with Morocco, "dgst",
// is in France's store). Errors: the hit/no-hit subsystem's.
Status RunHitNoHitStep(TwoNodes& nodes, const HitNoHitStepInput& input);

}  // namespace entente::demo

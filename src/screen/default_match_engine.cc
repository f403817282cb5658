// The only file of src/screen that names the MatchIndex factories: everything else goes
// through MatchEngine (see match_engine.h).
#include "screen/match_engine.h"
#include "screen/store_index.h"

namespace entente::screen {

const MatchEngine& DefaultMatchEngine() {
  static const MatchEngine* engine = new MatchEngine{
      [](RecordStore& store, const RecordFilter& filter, ProgressBar* progress) {
        return BuildMatchIndex(store, filter, progress);
      },
      [] { return MatchIndex::Create(); },
      [] { return MatchIndex::DefaultThreshold(); },
  };
  return *engine;
}

}  // namespace entente::screen

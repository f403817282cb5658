#include "store/change_signal.h"

#include <thread>

#include "store/postgres/postgres_change_signal.h"
#include "store/store_target.h"

namespace entente {
namespace {

class PollingSignal final : public ChangeSignal {
 public:
  bool wakes() const override { return false; }
  bool Wait(std::chrono::milliseconds timeout) override {
    std::this_thread::sleep_for(timeout);
    return false;
  }
};

}  // namespace

Result<std::unique_ptr<ChangeSignal>> ChangeSignal::Listen(const std::string& target) {
  if (IsPostgresTarget(target)) return ListenPostgres(target, kChangeChannel);
  return std::unique_ptr<ChangeSignal>(new PollingSignal);
}

}  // namespace entente

// What changed between two versions of a watchlist entity, in words an officer can read:
// "names +'Mohamed EL IDRISSI' -'M. Idrissi'; birth dates +1987-03-04; category other ->
// terrorism". Used when a re-screening raises a hit again because the entity has a new version.
// Pure function; thread-safe.
#pragma once

#include <string>

#include "model/entity.h"

namespace entente::screen {

// Empty when nothing that matters for screening or review changed.
std::string DescribeEntityChange(const Entity& before, const Entity& after);

}  // namespace entente::screen

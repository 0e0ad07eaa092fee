#include "Common.h"
namespace hcc::g2l {
void populateDataMovementPatterns(TypeConverter &, RewritePatternSet &) {}
} // namespace hcc::g2l

#include "Common.h"

namespace hcc::g2l {
void populateVariantsPatterns(TypeConverter &tc, RewritePatternSet &p) {}
} // namespace hcc::g2l

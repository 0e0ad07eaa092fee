#include "Common.h"
namespace hcc::g2l {
void populateNormalizationPatterns(TypeConverter &, RewritePatternSet &) {}
} // namespace hcc::g2l

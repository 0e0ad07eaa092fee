#include "Common.h"
namespace hcc::g2l {
void populateReductionPatterns(TypeConverter &, RewritePatternSet &) {}
} // namespace hcc::g2l

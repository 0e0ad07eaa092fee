#include "Common.h"
namespace hcc::g2l {
void populateConvPatterns(TypeConverter &, RewritePatternSet &) {}
} // namespace hcc::g2l

#include "Common.h"
namespace hcc::g2l {
void populatePoolingPatterns(TypeConverter &, RewritePatternSet &) {}
} // namespace hcc::g2l

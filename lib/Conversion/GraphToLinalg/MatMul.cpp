#include "Common.h"
namespace hcc::g2l {
void populateMatMulPatterns(TypeConverter &, RewritePatternSet &) {}
} // namespace hcc::g2l

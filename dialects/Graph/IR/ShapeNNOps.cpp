#include "dialects/Graph/IR/GraphOps.h"

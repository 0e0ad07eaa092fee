//===- ControlFlow.cpp - If, Loop and Scan as scf ops on tensors ----------===//
//
// graph.If becomes scf.if; graph.Loop an scf.while over (iteration, cond,
// loop-carried values, scan-output accumulators); graph.Scan an scf.for over
// the scan axis (Scan-8's batched form: an outer scf.for over the batch).
// A subgraph body is moved, not cloned: its block is merged into an
// scf.execute_region (Loop, Scan) or becomes the scf.if branch (If), so the
// conversion legalizes the nested graph ops in place; graph.yield becomes
// scf.yield (GraphYieldLowering). The canonicalizer inlines the
// execute_regions afterwards. Scan outputs accumulate into a tensor of the
// static result type with tensor.insert_slice; only plain tensors are
// supported (sequence/optional values are rejected by name).
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace hcc::g2l {
namespace {

/// `v` as `t` (tensor.cast between compatible ranked tensor types).
Value castTo(OpBuilder &b, Location loc, Value v, Type t) {
  if (v.getType() == t)
    return v;
  return tensor::CastOp::create(b, loc, t, v);
}

/// The i1 a 1-element boolean tensor holds.
Value extractScalar(OpBuilder &b, Location loc, Value t) {
  auto type = cast<RankedTensorType>(t.getType());
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  SmallVector<Value> idx(type.getRank(), zero);
  return tensor::ExtractOp::create(b, loc, t, idx);
}

/// A tensor of 1-element type `t` holding scalar `s`.
Value scalarTensor(OpBuilder &b, Location loc, RankedTensorType t, Value s) {
  return tensor::FromElementsOp::create(b, loc, t, ValueRange{s});
}

bool allRankedTensors(TypeRange types) {
  return llvm::all_of(types, [](Type t) { return isa<RankedTensorType>(t); });
}

/// Moves `body` (a subgraph block) into a new scf.execute_region at the
/// builder's insertion point, its arguments replaced by `args`; the region
/// yields the converted types of the graph.yield operands.
FailureOr<scf::ExecuteRegionOp> inlineBody(ConversionPatternRewriter &rewriter,
                                           const TypeConverter *tc,
                                           Location loc, Block &body,
                                           ValueRange args) {
  auto yield = cast<graph::YieldOp>(body.getTerminator());
  SmallVector<Type> types;
  for (Type t : yield.getOperandTypes())
    types.push_back(tc->convertType(t));
  auto exec = scf::ExecuteRegionOp::create(rewriter, loc, types);
  Block *dest = rewriter.createBlock(&exec.getRegion());
  rewriter.mergeBlocks(&body, dest, args);
  rewriter.setInsertionPointAfter(exec);
  return exec;
}

/// Static sizes of `t` with dimension `axis` dropped.
RankedTensorType dropDim(RankedTensorType t, int64_t axis) {
  SmallVector<int64_t> shape(t.getShape());
  shape.erase(shape.begin() + axis);
  return RankedTensorType::get(shape, t.getElementType());
}

/// The rank-reduced slice of `src` at `pos` along `axis`.
Value sliceAt(OpBuilder &b, Location loc, Value src, int64_t axis,
              OpFoldResult pos) {
  auto t = cast<RankedTensorType>(src.getType());
  SmallVector<OpFoldResult> offs(t.getRank(), b.getIndexAttr(0)), sizes,
      strides(t.getRank(), b.getIndexAttr(1));
  for (int64_t d = 0; d < t.getRank(); ++d)
    sizes.push_back(b.getIndexAttr(d == axis ? 1 : t.getDimSize(d)));
  offs[axis] = pos;
  return tensor::ExtractSliceOp::create(b, loc, dropDim(t, axis), src, offs,
                                        sizes, strides);
}

/// Inserts `elem` (cast to the static slice type) into `dest` at `pos`
/// along `axis`.
Value insertAt(OpBuilder &b, Location loc, Value elem, Value dest, int64_t axis,
               OpFoldResult pos) {
  auto t = cast<RankedTensorType>(dest.getType());
  elem = castTo(b, loc, elem, dropDim(t, axis));
  SmallVector<OpFoldResult> offs(t.getRank(), b.getIndexAttr(0)), sizes,
      strides(t.getRank(), b.getIndexAttr(1));
  for (int64_t d = 0; d < t.getRank(); ++d)
    sizes.push_back(b.getIndexAttr(d == axis ? 1 : t.getDimSize(d)));
  offs[axis] = pos;
  return tensor::InsertSliceOp::create(b, loc, elem, dest, offs, sizes,
                                       strides);
}

/// The values a loop yields for its iteration arguments `iterArgs`, given
/// their new values `vals`: each is copied into its iteration argument, so
/// the loop yields the argument's own buffer (one-shot bufferization wants
/// no allocation returned from scf.for/scf.while). Emit this after every
/// other read of the arguments. New values that are themselves iteration
/// arguments (passed through or swapped) are first copied to fresh tensors.
SmallVector<Value> carryInPlace(OpBuilder &b, Location loc, ValueRange vals,
                                ValueRange iterArgs) {
  SmallVector<Value> srcs;
  for (auto [v, arg] : llvm::zip(vals, iterArgs)) {
    v = castTo(b, loc, v, arg.getType());
    Value root = v;
    while (auto c = root.getDefiningOp<tensor::CastOp>())
      root = c.getSource();
    if (root != arg && llvm::is_contained(iterArgs, root))
      v = linalg::CopyOp::create(
              b, loc, ValueRange{v},
              ValueRange{
                  emptyTensor(b, loc, cast<RankedTensorType>(arg.getType()))})
              .getResult(0);
    srcs.push_back(root == arg ? arg : v);
  }
  SmallVector<Value> out;
  for (auto [v, arg] : llvm::zip(srcs, iterArgs))
    out.push_back(v == arg ? arg
                           : linalg::CopyOp::create(b, loc, ValueRange{v},
                                                    ValueRange{arg})
                                 .getResult(0));
  return out;
}

/// The number of the `body` argument that yield operand `i` passes through
/// unchanged (through graph.Identity), if any.
std::optional<unsigned> passedArg(Block &body, unsigned i) {
  Value v = body.getTerminator()->getOperand(i);
  while (auto id = v.getDefiningOp<graph::IdentityOp>())
    v = id.getInput();
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg || arg.getOwner() != &body)
    return std::nullopt;
  return arg.getArgNumber();
}

/// A zero-filled tensor of static type `t`.
Value zeros(OpBuilder &b, Location loc, RankedTensorType t) {
  return filledTensor(b, loc, t, scalarConst(b, loc, t.getElementType(), 0));
}

LogicalResult checkPlainTensors(Operation *op) {
  if (!allRankedTensors(op->getResultTypes()))
    return unsupported(op, "only tensor values (no sequences or optionals)");
  for (Value v : op->getOperands())
    if (!isa<RankedTensorType, NoneType>(v.getType()))
      return unsupported(op, "only tensor values (no sequences or optionals)");
  for (Region &r : op->getRegions())
    if (!allRankedTensors(r.front().getArgumentTypes()) ||
        !allRankedTensors(r.front().getTerminator()->getOperandTypes()))
      return unsupported(op, "only tensor values (no sequences or optionals)");
  return success();
}

struct IfLowering : OpConversionPattern<graph::IfOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::IfOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkPlainTensors(op)))
      return failure();
    SmallVector<Type> types;
    for (Type t : op.getResultTypes())
      types.push_back(getTypeConverter()->convertType(t));
    Location loc = op.getLoc();
    Value cond = extractScalar(rewriter, loc, adaptor.getCond());
    auto ifOp = scf::IfOp::create(rewriter, loc, types, cond,
                                  /*withElseRegion=*/true);
    // The builder made empty blocks; the subgraph blocks replace them.
    rewriter.eraseBlock(&ifOp.getThenRegion().front());
    rewriter.eraseBlock(&ifOp.getElseRegion().front());
    rewriter.inlineRegionBefore(op.getThenBranch(), ifOp.getThenRegion(),
                                ifOp.getThenRegion().end());
    rewriter.inlineRegionBefore(op.getElseBranch(), ifOp.getElseRegion(),
                                ifOp.getElseRegion().end());
    rewriter.replaceOp(op, ifOp.getResults());
    return success();
  }
};

/// graph.yield in a converted If branch or body: scf.yield, each value cast
/// to the parent's result type.
struct GraphYieldLowering : OpConversionPattern<graph::YieldOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::YieldOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *parent = op->getParentOp();
    if (!isa<scf::IfOp, scf::ExecuteRegionOp>(parent))
      return failure();
    SmallVector<Value> values;
    for (auto [v, t] :
         llvm::zip(adaptor.getOperands(), parent->getResultTypes()))
      values.push_back(castTo(rewriter, op.getLoc(), v, t));
    rewriter.replaceOpWithNewOp<scf::YieldOp>(op, values);
    return success();
  }
};

/// Loop(M, cond, v...) as
///   scf.while (i = 0, c = cond, v..., acc...) {
///     scf.condition(c && i < min(M, scan length)) ...
///   } do { body; acc[i] = scan element; i + 1 }
struct LoopLowering : OpConversionPattern<graph::LoopOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(graph::LoopOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkPlainTensors(op)))
      return failure();
    const TypeConverter *tc = getTypeConverter();
    Block &body = op.getBody().front();
    unsigned numCarried = op.getVInitial().size();
    unsigned numScan = op.getNumResults() - numCarried;
    SmallVector<RankedTensorType> resTypes;
    for (auto [i, r] : llvm::enumerate(op.getResults())) {
      auto t = convertedTensorType(*tc, r.getType());
      if (!t || (i >= numCarried && !t.hasStaticShape()))
        return unsupported(op, "scan output #" + Twine(i - numCarried) +
                                   " needs a static shape");
      resTypes.push_back(t);
    }
    auto iterArgType = convertedTensorType(*tc, body.getArgument(0).getType());
    auto condArgType = convertedTensorType(*tc, body.getArgument(1).getType());
    auto condOutType = dyn_cast<RankedTensorType>(
        body.getTerminator()->getOperand(0).getType());
    if (!iterArgType || !iterArgType.hasStaticShape() ||
        iterArgType.getNumElements() != 1 || !condArgType ||
        !condArgType.hasStaticShape() || condArgType.getNumElements() != 1 ||
        !condOutType || condOutType.getNumElements() != 1)
      return unsupported(op, "the iteration number and condition must be "
                             "1-element tensors");
    Location loc = op.getLoc();
    Type i64 = rewriter.getI64Type(), i1 = rewriter.getI1Type();

    // Bound: min(M, scan-output length), INT64_MAX when neither is given.
    Value bound = highestValue(rewriter, loc, i64, false);
    if (!isa<NoneType>(adaptor.getM().getType()))
      bound = extractScalar(rewriter, loc, adaptor.getM());
    if (numScan)
      bound = arith::MinSIOp::create(
          rewriter, loc, bound,
          scalarConst(rewriter, loc, i64, resTypes[numCarried].getDimSize(0)));
    Value cond0 = isa<NoneType>(adaptor.getCond().getType())
                      ? scalarConst(rewriter, loc, i1, 1)
                      : extractScalar(rewriter, loc, adaptor.getCond());

    // Tensors first, then (iteration, condition): the canonicalizer drops
    // the condition from the after block, and one-shot bufferization
    // matches the forwarded tensors to the block arguments by position.
    unsigned numTensors = numCarried + numScan;
    SmallVector<Value> inits;
    for (auto [v, t] : llvm::zip(adaptor.getVInitial(), resTypes))
      inits.push_back(castTo(rewriter, loc, v, t));
    for (unsigned k = 0; k < numScan; ++k)
      inits.push_back(zeros(rewriter, loc, resTypes[numCarried + k]));
    inits.push_back(scalarConst(rewriter, loc, i64, 0));
    inits.push_back(cond0);
    SmallVector<Type> types =
        llvm::map_to_vector(inits, [](Value v) -> Type { return v.getType(); });
    SmallVector<Location> locs(types.size(), loc);

    auto whileOp = scf::WhileOp::create(rewriter, loc, types, inits);
    {
      Block *before =
          rewriter.createBlock(&whileOp.getBefore(), {}, types, locs);
      Value inRange =
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::slt,
                                before->getArgument(numTensors), bound);
      Value go = arith::AndIOp::create(rewriter, loc, inRange,
                                       before->getArgument(numTensors + 1));
      scf::ConditionOp::create(rewriter, loc, go, before->getArguments());
    }
    Block *after = rewriter.createBlock(&whileOp.getAfter(), {}, types, locs);
    Value iter = after->getArgument(numTensors);
    SmallVector<Value> args{scalarTensor(rewriter, loc, iterArgType, iter),
                            scalarTensor(rewriter, loc, condArgType,
                                         after->getArgument(numTensors + 1))};
    for (unsigned k = 0; k < numCarried; ++k)
      args.push_back(
          castTo(rewriter, loc, after->getArgument(k),
                 tc->convertType(body.getArgument(2 + k).getType())));
    SmallVector<std::optional<unsigned>> passed;
    for (unsigned k = 0; k < numCarried; ++k)
      passed.push_back(passedArg(body, 1 + k));
    FailureOr<scf::ExecuteRegionOp> exec =
        inlineBody(rewriter, tc, loc, body, args);
    if (failed(exec))
      return failure();
    ValueRange outs = exec->getResults();
    Value pos = arith::IndexCastOp::create(rewriter, loc,
                                           rewriter.getIndexType(), iter);
    SmallVector<Value> accs;
    for (unsigned k = 0; k < numScan; ++k)
      accs.push_back(insertAt(rewriter, loc, outs[1 + numCarried + k],
                              after->getArgument(numCarried + k), 0, pos));
    // A value passed through from an iteration argument is that argument.
    SmallVector<Value> carried(outs.slice(1, numCarried));
    for (unsigned k = 0; k < numCarried; ++k)
      if (passed[k] && *passed[k] >= 2)
        carried[k] = after->getArgument(*passed[k] - 2);
    SmallVector<Value> next = carryInPlace(
        rewriter, loc, carried, after->getArguments().take_front(numCarried));
    llvm::append_range(next, accs);
    next.push_back(arith::AddIOp::create(rewriter, loc, iter,
                                         scalarConst(rewriter, loc, i64, 1)));
    next.push_back(extractScalar(rewriter, loc, outs[0]));
    scf::YieldOp::create(rewriter, loc, next);

    rewriter.replaceOp(op, whileOp.getResults().take_front(numTensors));
    return success();
  }
};

/// Scan as scf.for over the scan axis; Scan-8 (a batch axis 0 on every
/// input and output, recognized by the body's ranks) adds an outer loop.
struct ScanLowering : OpConversionPattern<graph::ScanOp> {
  using OpConversionPattern::OpConversionPattern;

  static SmallVector<int64_t> ints(std::optional<ArrayAttr> a, unsigned n,
                                   int64_t dflt) {
    SmallVector<int64_t> v(n, dflt);
    if (a && a->size() == n)
      for (auto [i, x] : llvm::enumerate(*a))
        v[i] = cast<IntegerAttr>(x).getInt();
    return v;
  }

  LogicalResult
  matchAndRewrite(graph::ScanOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    if (failed(checkPlainTensors(op)))
      return failure();
    const TypeConverter *tc = getTypeConverter();
    Block &body = op.getBody().front();
    ValueRange inputs = adaptor.getInitialStateAndScanInputs();
    unsigned numIn = inputs.size();
    unsigned numScanIn = op.getNumScanInputs();
    unsigned numState = numIn - numScanIn;
    unsigned numScanOut = op.getNumResults() - numState;
    if (numScanIn == 0)
      return unsupported(op, "needs at least one scan input");
    SmallVector<RankedTensorType> resTypes;
    for (Value r : op.getResults()) {
      auto t = convertedTensorType(*tc, r.getType());
      if (!t || !t.hasStaticShape())
        return unsupported(op, "results must have static shapes");
      resTypes.push_back(t);
    }
    SmallVector<RankedTensorType> inTypes;
    for (Value v : inputs) {
      auto t = dyn_cast<RankedTensorType>(v.getType());
      if (!t || !t.hasStaticShape())
        return unsupported(op, "inputs must have static shapes");
      inTypes.push_back(t);
    }
    auto argRank = [&](unsigned i) {
      return cast<RankedTensorType>(body.getArgument(i).getType()).getRank();
    };
    // Scan-8: state [B, ...] and scan inputs [B, T, ...] per batch row.
    bool batched = !op.getScanInputAxes() && !op.getScanOutputAxes() &&
                   inTypes[numState].getRank() == argRank(numState) + 2;
    int64_t shift = batched ? 1 : 0;
    for (unsigned i = 0; i < numIn; ++i)
      if (inTypes[i].getRank() != argRank(i) + shift + (i >= numState ? 1 : 0))
        return unsupported(op, "input #" + Twine(i) +
                                   " does not match the body's rank");

    SmallVector<int64_t> inAxes = ints(op.getScanInputAxes(), numScanIn, 0);
    SmallVector<int64_t> inDirs =
        ints(op.getScanInputDirections(), numScanIn, 0);
    SmallVector<int64_t> outAxes = ints(op.getScanOutputAxes(), numScanOut, 0);
    SmallVector<int64_t> outDirs =
        ints(op.getScanOutputDirections(), numScanOut, 0);
    int64_t length = -1;
    for (unsigned j = 0; j < numScanIn; ++j) {
      int64_t rank = inTypes[numState + j].getRank() - shift;
      int64_t &a = inAxes[j];
      if (a < -rank || a >= rank)
        return unsupported(op, "scan_input_axes out of range");
      a = (a < 0 ? a + rank : a) + shift;
      int64_t len = inTypes[numState + j].getDimSize(a);
      if (length >= 0 && len != length)
        return unsupported(op, "scan inputs differ in length");
      length = len;
    }
    for (unsigned k = 0; k < numScanOut; ++k) {
      int64_t rank = resTypes[numState + k].getRank() - shift;
      int64_t &a = outAxes[k];
      if (a < -rank || a >= rank)
        return unsupported(op, "scan_output_axes out of range");
      a = (a < 0 ? a + rank : a) + shift;
      if (resTypes[numState + k].getDimSize(a) != length)
        return unsupported(op, "scan output #" + Twine(k) +
                                   " does not have the scan length");
    }

    Location loc = op.getLoc();
    Value c0 = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value c1 = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value cLen = arith::ConstantIndexOp::create(rewriter, loc, length);
    Value cLast = arith::ConstantIndexOp::create(rewriter, loc, length - 1);

    // One scan over per-row `states`/`scanIns` into `stateTypes`/`outTypes`.
    auto buildScan = [&](ValueRange states, ValueRange scanIns,
                         ArrayRef<RankedTensorType> types) -> ValueRange {
      SmallVector<Value> inits;
      for (unsigned i = 0; i < numState; ++i)
        inits.push_back(castTo(rewriter, loc, states[i], types[i]));
      for (unsigned k = 0; k < numScanOut; ++k)
        inits.push_back(zeros(rewriter, loc, types[numState + k]));
      auto forOp = scf::ForOp::create(rewriter, loc, c0, cLen, c1, inits);
      Block *loopBody = forOp.getBody();
      rewriter.setInsertionPointToStart(loopBody);
      Value t = forOp.getInductionVar();
      Value rev = arith::SubIOp::create(rewriter, loc, cLast, t);
      SmallVector<Value> args;
      for (unsigned i = 0; i < numState; ++i)
        args.push_back(castTo(rewriter, loc, forOp.getRegionIterArg(i),
                              tc->convertType(body.getArgument(i).getType())));
      for (unsigned j = 0; j < numScanIn; ++j) {
        Value s = sliceAt(rewriter, loc, scanIns[j], inAxes[j] - shift,
                          inDirs[j] ? rev : t);
        args.push_back(
            castTo(rewriter, loc, s,
                   tc->convertType(body.getArgument(numState + j).getType())));
      }
      SmallVector<Value> carried;
      for (unsigned i = 0; i < numState; ++i) {
        std::optional<unsigned> n = passedArg(body, i);
        carried.push_back(n && *n < numState ? forOp.getRegionIterArg(*n)
                                             : Value());
      }
      scf::ExecuteRegionOp exec = *inlineBody(rewriter, tc, loc, body, args);
      for (unsigned i = 0; i < numState; ++i)
        if (!carried[i])
          carried[i] = exec.getResult(i);
      SmallVector<Value> accs;
      for (unsigned k = 0; k < numScanOut; ++k)
        accs.push_back(insertAt(rewriter, loc, exec.getResult(numState + k),
                                forOp.getRegionIterArg(numState + k),
                                outAxes[k] - shift, outDirs[k] ? rev : t));
      SmallVector<Value> next =
          carryInPlace(rewriter, loc, carried,
                       forOp.getRegionIterArgs().take_front(numState));
      llvm::append_range(next, accs);
      scf::YieldOp::create(rewriter, loc, next);
      rewriter.setInsertionPointAfter(forOp);
      return forOp.getResults();
    };

    if (!batched) {
      ValueRange results = buildScan(inputs.take_front(numState),
                                     inputs.drop_front(numState), resTypes);
      rewriter.replaceOp(op, results);
      return success();
    }

    int64_t batch = inTypes[numState].getDimSize(0);
    SmallVector<RankedTensorType> rowTypes;
    for (RankedTensorType t : resTypes) {
      if (t.getDimSize(0) != batch)
        return unsupported(op, "results must have the batch size");
      rowTypes.push_back(dropDim(t, 0));
    }
    SmallVector<Value> inits;
    for (RankedTensorType t : resTypes)
      inits.push_back(zeros(rewriter, loc, t));
    Value cBatch = arith::ConstantIndexOp::create(rewriter, loc, batch);
    auto outer = scf::ForOp::create(rewriter, loc, c0, cBatch, c1, inits);
    rewriter.setInsertionPointToStart(outer.getBody());
    Value b = outer.getInductionVar();
    SmallVector<Value> rows;
    for (Value v : inputs)
      rows.push_back(sliceAt(rewriter, loc, v, 0, b));
    ValueRange rowResults =
        buildScan(ValueRange(rows).take_front(numState),
                  ValueRange(rows).drop_front(numState), rowTypes);
    SmallVector<Value> next;
    for (auto [r, acc] : llvm::zip(rowResults, outer.getRegionIterArgs()))
      next.push_back(insertAt(rewriter, loc, r, acc, 0, b));
    scf::YieldOp::create(rewriter, loc, next);
    rewriter.replaceOp(op, outer.getResults());
    return success();
  }
};

} // namespace

void populateControlFlowPatterns(TypeConverter &tc, RewritePatternSet &p) {
  p.add<IfLowering, GraphYieldLowering, LoopLowering, ScanLowering>(
      tc, p.getContext());
}

} // namespace hcc::g2l

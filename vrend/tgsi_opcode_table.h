/* SPDX-License-Identifier: MIT */
/*
 * The one TGSI opcode table (X-macro). Each row:
 *
 *   X(NAME, ndst, nsrc, kind, flags, glsl, dst_type, src_types, template)
 *
 * NAME       the opcode as the text form spells it (Mesa's tgsi_dump)
 * ndst/nsrc  operand counts in the text form (texture opcodes count the sampler)
 * kind       ALU: emitted from the template; TEX, FLOW, MEM, MISC, DBL (D for
 *            double: two dwords, low first): emitted by a
 *            dedicated routine; NONE: parsed, not translated to GLSL (yet)
 * flags      TGSI_OPF_*: what may follow the operands, and the nesting effect
 * glsl       lowest GLSL version the translation needs
 * dst_type   type the result is computed in: F float, U uint, I int, A untyped
 *            (uint bits, or float when a source modifier or _SAT asks for
 *            arithmetic), '-' none
 * src_types  one letter per source, same letters
 * template   ALU only: a GLSL expression of the dst type over 4 components;
 *            %0..%3 are the sources, already swizzled to 4 components, converted
 *            to their type and with negate/abs applied. Helpers named vn_* are
 *            emitted by glsl_emit (glsl_helpers.c).
 *
 * Scalar opcodes (RCP, RSQ, EX2, LG2, POW, SIN, COS, SQRT, DPn) replicate one
 * result into every written channel; their templates read .x of the swizzled
 * source, which is the source's first swizzle channel, as TGSI specifies.
 */

/* clang-format off */
#define TGSI_OPCODE_TABLE(X) \
	/* float arithmetic */ \
	X(ARL,    1, 1, ALU, 0, 330, 'I', "F",    "ivec4(floor(%0))") \
	X(MOV,    1, 1, ALU, 0, 330, 'A', "A",    "%0") \
	X(RCP,    1, 1, ALU, 0, 330, 'F', "F",    "vec4(1.0 / %0.x)") \
	X(RSQ,    1, 1, ALU, 0, 330, 'F', "F",    "vec4(inversesqrt(%0.x))") \
	X(MUL,    1, 2, ALU, 0, 330, 'F', "FF",   "%0 * %1") \
	X(ADD,    1, 2, ALU, 0, 330, 'F', "FF",   "%0 + %1") \
	X(DP2,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(dot(%0.xy, %1.xy))") \
	X(DP3,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(dot(%0.xyz, %1.xyz))") \
	X(DP4,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(dot(%0, %1))") \
	X(MIN,    1, 2, ALU, 0, 330, 'F', "FF",   "min(%0, %1)") \
	X(MAX,    1, 2, ALU, 0, 330, 'F', "FF",   "max(%0, %1)") \
	X(SLT,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(lessThan(%0, %1))") \
	X(SGE,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(greaterThanEqual(%0, %1))") \
	X(SEQ,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(equal(%0, %1))") \
	X(SNE,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(notEqual(%0, %1))") \
	X(SGT,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(greaterThan(%0, %1))") \
	X(SLE,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(lessThanEqual(%0, %1))") \
	X(MAD,    1, 3, ALU, 0, 330, 'F', "FFF",  "%0 * %1 + %2") \
	X(FMA,    1, 3, ALU, 0, 400, 'F', "FFF",  "fma(%0, %1, %2)") \
	X(LRP,    1, 3, ALU, 0, 330, 'F', "FFF",  "mix(%2, %1, %0)") \
	X(CMP,    1, 3, ALU, 0, 330, 'F', "FFF",  "mix(%2, %1, lessThan(%0, vec4(0.0)))") \
	X(DIV,    1, 2, ALU, 0, 330, 'F', "FF",   "%0 / %1") \
	X(SQRT,   1, 1, ALU, 0, 330, 'F', "F",    "vec4(sqrt(%0.x))") \
	X(EX2,    1, 1, ALU, 0, 330, 'F', "F",    "vec4(exp2(%0.x))") \
	X(LG2,    1, 1, ALU, 0, 330, 'F', "F",    "vec4(log2(%0.x))") \
	X(POW,    1, 2, ALU, 0, 330, 'F', "FF",   "vec4(pow(%0.x, %1.x))") \
	X(SIN,    1, 1, ALU, 0, 330, 'F', "F",    "vec4(sin(%0.x))") \
	X(COS,    1, 1, ALU, 0, 330, 'F', "F",    "vec4(cos(%0.x))") \
	X(LDEXP,  1, 2, ALU, 0, 400, 'F', "FI",   "ldexp(%0, %1)") \
	X(FRC,    1, 1, ALU, 0, 330, 'F', "F",    "fract(%0)") \
	X(FLR,    1, 1, ALU, 0, 330, 'F', "F",    "floor(%0)") \
	X(CEIL,   1, 1, ALU, 0, 330, 'F', "F",    "ceil(%0)") \
	X(ROUND,  1, 1, ALU, 0, 330, 'F', "F",    "roundEven(%0)") \
	X(TRUNC,  1, 1, ALU, 0, 330, 'F', "F",    "trunc(%0)") \
	X(SSG,    1, 1, ALU, 0, 330, 'F', "F",    "sign(%0)") \
	X(DDX,    1, 1, ALU, 0, 330, 'F', "F",    "dFdx(%0)") \
	X(DDY,    1, 1, ALU, 0, 330, 'F', "F",    "dFdy(%0)") \
	X(DDX_FINE, 1, 1, ALU, 0, 400, 'F', "F",  "dFdxFine(%0)") \
	X(DDY_FINE, 1, 1, ALU, 0, 400, 'F', "F",  "dFdyFine(%0)") \
	X(FSEQ,   1, 2, ALU, 0, 330, 'U', "FF",   "vn_b2u(equal(%0, %1))") \
	X(FSNE,   1, 2, ALU, 0, 330, 'U', "FF",   "vn_b2u(notEqual(%0, %1))") \
	X(FSGE,   1, 2, ALU, 0, 330, 'U', "FF",   "vn_b2u(greaterThanEqual(%0, %1))") \
	X(FSLT,   1, 2, ALU, 0, 330, 'U', "FF",   "vn_b2u(lessThan(%0, %1))") \
	X(PK2H,   1, 1, ALU, 0, 420, 'U', "F",    "uvec4(packHalf2x16(%0.xy))") \
	X(UP2H,   1, 1, ALU, 0, 420, 'F', "U",    "unpackHalf2x16(%0.x).xyxy") \
	/* integer arithmetic and bit operations */ \
	X(UARL,   1, 1, ALU, 0, 330, 'I', "U",    "ivec4(%0)") \
	X(UADD,   1, 2, ALU, 0, 330, 'U', "UU",   "%0 + %1") \
	X(UMUL,   1, 2, ALU, 0, 330, 'U', "UU",   "%0 * %1") \
	X(UMAD,   1, 3, ALU, 0, 330, 'U', "UUU",  "%0 * %1 + %2") \
	X(UDIV,   1, 2, ALU, 0, 330, 'U', "UU",   "vn_udiv(%0, %1)") \
	X(UMOD,   1, 2, ALU, 0, 330, 'U', "UU",   "vn_umod(%0, %1)") \
	X(IDIV,   1, 2, ALU, 0, 330, 'I', "II",   "vn_idiv(%0, %1)") \
	X(MOD,    1, 2, ALU, 0, 330, 'I', "II",   "vn_imod(%0, %1)") \
	X(UMUL_HI, 1, 2, ALU, 0, 400, 'U', "UU",  "vn_umul_hi(%0, %1)") \
	X(IMUL_HI, 1, 2, ALU, 0, 400, 'I', "II",  "vn_imul_hi(%0, %1)") \
	X(INEG,   1, 1, ALU, 0, 330, 'I', "I",    "-%0") \
	X(IABS,   1, 1, ALU, 0, 330, 'I', "I",    "abs(%0)") \
	X(ISSG,   1, 1, ALU, 0, 330, 'I', "I",    "sign(%0)") \
	X(UMIN,   1, 2, ALU, 0, 330, 'U', "UU",   "min(%0, %1)") \
	X(UMAX,   1, 2, ALU, 0, 330, 'U', "UU",   "max(%0, %1)") \
	X(IMIN,   1, 2, ALU, 0, 330, 'I', "II",   "min(%0, %1)") \
	X(IMAX,   1, 2, ALU, 0, 330, 'I', "II",   "max(%0, %1)") \
	X(AND,    1, 2, ALU, 0, 330, 'U', "UU",   "%0 & %1") \
	X(OR,     1, 2, ALU, 0, 330, 'U', "UU",   "%0 | %1") \
	X(XOR,    1, 2, ALU, 0, 330, 'U', "UU",   "%0 ^ %1") \
	X(NOT,    1, 1, ALU, 0, 330, 'U', "U",    "~%0") \
	X(SHL,    1, 2, ALU, 0, 330, 'U', "UU",   "%0 << (%1 & 31u)") \
	X(USHR,   1, 2, ALU, 0, 330, 'U', "UU",   "%0 >> (%1 & 31u)") \
	X(ISHR,   1, 2, ALU, 0, 330, 'I', "IU",   "%0 >> (%1 & 31u)") \
	X(USEQ,   1, 2, ALU, 0, 330, 'U', "UU",   "vn_b2u(equal(%0, %1))") \
	X(USNE,   1, 2, ALU, 0, 330, 'U', "UU",   "vn_b2u(notEqual(%0, %1))") \
	X(USGE,   1, 2, ALU, 0, 330, 'U', "UU",   "vn_b2u(greaterThanEqual(%0, %1))") \
	X(USLT,   1, 2, ALU, 0, 330, 'U', "UU",   "vn_b2u(lessThan(%0, %1))") \
	X(ISGE,   1, 2, ALU, 0, 330, 'U', "II",   "vn_b2u(greaterThanEqual(%0, %1))") \
	X(ISLT,   1, 2, ALU, 0, 330, 'U', "II",   "vn_b2u(lessThan(%0, %1))") \
	X(UCMP,   1, 3, ALU, 0, 330, 'A', "UAA",  "vn_sel(notEqual(%0, uvec4(0u)), %1, %2)") \
	X(IBFE,   1, 3, ALU, 0, 400, 'I', "IUU",  "vn_ibfe(%0, %1, %2)") \
	X(UBFE,   1, 3, ALU, 0, 400, 'U', "UUU",  "vn_ubfe(%0, %1, %2)") \
	X(BFI,    1, 4, ALU, 0, 400, 'U', "UUUU", "vn_bfi(%0, %1, %2, %3)") \
	X(BREV,   1, 1, ALU, 0, 400, 'U', "U",    "bitfieldReverse(%0)") \
	X(POPC,   1, 1, ALU, 0, 400, 'U', "U",    "uvec4(bitCount(%0))") \
	X(LSB,    1, 1, ALU, 0, 400, 'U', "U",    "uvec4(findLSB(%0))") \
	X(IMSB,   1, 1, ALU, 0, 400, 'I', "I",    "findMSB(%0)") \
	X(UMSB,   1, 1, ALU, 0, 400, 'I', "U",    "findMSB(%0)") \
	/* conversions */ \
	X(F2I,    1, 1, ALU, 0, 330, 'I', "F",    "ivec4(%0)") \
	X(F2U,    1, 1, ALU, 0, 330, 'U', "F",    "uvec4(%0)") \
	X(I2F,    1, 1, ALU, 0, 330, 'F', "I",    "vec4(%0)") \
	X(U2F,    1, 1, ALU, 0, 330, 'F', "U",    "vec4(%0)") \
	/* flow control */ \
	X(IF,     0, 1, FLOW, TGSI_OPF_IF | TGSI_OPF_LABEL, 330, '-', "F", NULL) \
	X(UIF,    0, 1, FLOW, TGSI_OPF_IF | TGSI_OPF_LABEL, 330, '-', "U", NULL) \
	X(ELSE,   0, 0, FLOW, TGSI_OPF_ELSE | TGSI_OPF_LABEL, 330, '-', "", NULL) \
	X(ENDIF,  0, 0, FLOW, TGSI_OPF_ENDIF, 330, '-', "", NULL) \
	X(BGNLOOP, 0, 0, FLOW, TGSI_OPF_LOOP | TGSI_OPF_LABEL, 330, '-', "", NULL) \
	X(ENDLOOP, 0, 0, FLOW, TGSI_OPF_ENDLOOP | TGSI_OPF_LABEL, 330, '-', "", NULL) \
	X(BRK,    0, 0, FLOW, TGSI_OPF_BREAK, 330, '-', "", NULL) \
	X(CONT,   0, 0, FLOW, TGSI_OPF_CONT, 330, '-', "", NULL) \
	X(RET,    0, 0, FLOW, 0, 330, '-', "", NULL) \
	X(END,    0, 0, FLOW, TGSI_OPF_END, 330, '-', "", NULL) \
	X(NOP,    0, 0, FLOW, 0, 330, '-', "", NULL) \
	X(CAL,    0, 0, NONE, TGSI_OPF_LABEL, 330, '-', "", NULL) \
	X(BGNSUB, 0, 0, NONE, TGSI_OPF_SUB | TGSI_OPF_LABEL, 330, '-', "", NULL) \
	X(ENDSUB, 0, 0, NONE, TGSI_OPF_ENDSUB, 330, '-', "", NULL) \
	X(SWITCH, 0, 1, NONE, TGSI_OPF_SWITCH, 330, '-', "U", NULL) \
	X(CASE,   0, 1, NONE, TGSI_OPF_CASE, 330, '-', "U", NULL) \
	X(DEFAULT, 0, 0, NONE, TGSI_OPF_CASE, 330, '-', "", NULL) \
	X(ENDSWITCH, 0, 0, NONE, TGSI_OPF_ENDSWITCH, 330, '-', "", NULL) \
	/* fragment and geometry specials */ \
	X(KILL,   0, 0, MISC, 0, 330, '-', "", NULL) \
	X(KILL_IF, 0, 1, MISC, 0, 330, '-', "F", NULL) \
	X(DEMOTE, 0, 0, MISC, 0, 330, '-', "", NULL) \
	X(EMIT,   0, 1, MISC, 0, 330, '-', "U", NULL) \
	X(ENDPRIM, 0, 1, MISC, 0, 330, '-', "U", NULL) \
	X(INTERP_CENTROID, 1, 1, MISC, 0, 400, 'F', "F", NULL) \
	X(INTERP_SAMPLE, 1, 2, MISC, 0, 400, 'F', "FI", NULL) \
	X(INTERP_OFFSET, 1, 2, MISC, 0, 400, 'F', "FF", NULL) \
	X(BARRIER, 0, 0, MISC, 0, 430, '-', "", NULL) \
	X(MEMBAR, 0, 1, MISC, 0, 430, '-', "U", NULL) \
	X(CLOCK,  1, 0, NONE, 0, 330, 'U', "", NULL) \
	X(FBFETCH, 1, 1, NONE, 0, 330, 'F', "F", NULL) \
	/* textures: the last source is the sampler */ \
	X(TEX,    1, 2, TEX, TGSI_OPF_TEX, 330, 'F', "F", NULL) \
	X(TEX_LZ, 1, 2, TEX, TGSI_OPF_TEX, 330, 'F', "F", NULL) \
	X(TXP,    1, 2, TEX, TGSI_OPF_TEX, 330, 'F', "F", NULL) \
	X(TXB,    1, 2, TEX, TGSI_OPF_TEX, 330, 'F', "F", NULL) \
	X(TXL,    1, 2, TEX, TGSI_OPF_TEX, 330, 'F', "F", NULL) \
	X(TXD,    1, 4, TEX, TGSI_OPF_TEX, 330, 'F', "FFF", NULL) \
	X(TEX2,   1, 3, TEX, TGSI_OPF_TEX, 330, 'F', "FF", NULL) \
	X(TXB2,   1, 3, TEX, TGSI_OPF_TEX, 330, 'F', "FF", NULL) \
	X(TXL2,   1, 3, TEX, TGSI_OPF_TEX, 330, 'F', "FF", NULL) \
	X(TXF,    1, 2, TEX, TGSI_OPF_TEX, 330, 'F', "I", NULL) \
	X(TXF_LZ, 1, 2, TEX, TGSI_OPF_TEX, 330, 'F', "I", NULL) \
	X(TXQ,    1, 2, TEX, TGSI_OPF_TEX, 330, 'I', "I", NULL) \
	X(TXQS,   1, 1, TEX, TGSI_OPF_TEX, 450, 'I', "", NULL) \
	X(TG4,    1, 3, TEX, TGSI_OPF_TEX, 400, 'F', "FU", NULL) \
	X(LODQ,   1, 2, TEX, TGSI_OPF_TEX, 400, 'F', "F", NULL) \
	X(LOD,    1, 3, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE, 1, 3, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_I, 1, 2, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_I_MS, 1, 3, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_B, 1, 4, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_C, 1, 4, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_C_LZ, 1, 4, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_D, 1, 5, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_L, 1, 4, NONE, 0, 330, 'F', "", NULL) \
	X(GATHER4, 1, 3, NONE, 0, 330, 'F', "", NULL) \
	X(SVIEWINFO, 1, 2, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_POS, 1, 2, NONE, 0, 330, 'F', "", NULL) \
	X(SAMPLE_INFO, 1, 2, NONE, 0, 330, 'F', "", NULL) \
	X(IMG2HND, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(SAMP2HND, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	/* memory: buffers, images, shared memory */ \
	X(LOAD,   1, 2, MEM, TGSI_OPF_MEM, 430, 'U', "-U", NULL) \
	X(STORE,  1, 2, MEM, TGSI_OPF_MEM, 430, '-', "UU", NULL) \
	X(RESQ,   1, 1, MEM, TGSI_OPF_MEM, 430, 'U', "-", NULL) \
	X(ATOMUADD, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMXCHG, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMCAS, 1, 4, MEM, TGSI_OPF_MEM, 430, 'U', "-UUU", NULL) \
	X(ATOMAND, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMOR, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMXOR, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMUMIN, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMUMAX, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMIMIN, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UI", NULL) \
	X(ATOMIMAX, 1, 3, MEM, TGSI_OPF_MEM, 430, 'U', "-UI", NULL) \
	X(ATOMFADD, 1, 3, NONE, TGSI_OPF_MEM, 430, 'U', "-UF", NULL) \
	X(ATOMINC_WRAP, 1, 3, NONE, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	X(ATOMDEC_WRAP, 1, 3, NONE, TGSI_OPF_MEM, 430, 'U', "-UU", NULL) \
	/* legacy, subgroup, 64-bit integers: parsed only; doubles: DBL */ \
	X(LIT, 1, 1, NONE, 0, 330, 'F', "", NULL) \
	X(EXP, 1, 1, NONE, 0, 330, 'F', "", NULL) \
	X(LOG, 1, 1, NONE, 0, 330, 'F', "", NULL) \
	X(DST, 1, 2, NONE, 0, 330, 'F', "", NULL) \
	X(ARR, 1, 1, NONE, 0, 330, 'I', "", NULL) \
	X(PK2US, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(PK4B, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(PK4UB, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(UP2US, 1, 1, NONE, 0, 330, 'F', "", NULL) \
	X(UP4B, 1, 1, NONE, 0, 330, 'F', "", NULL) \
	X(UP4UB, 1, 1, NONE, 0, 330, 'F', "", NULL) \
	X(READ_HELPER, 1, 0, NONE, 0, 330, 'U', "", NULL) \
	X(READ_INVOC, 1, 2, NONE, 0, 330, 'U', "", NULL) \
	X(READ_FIRST, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(BALLOT, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(VOTE_ANY, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(VOTE_ALL, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(VOTE_EQ, 1, 1, NONE, 0, 330, 'U', "", NULL) \
	X(F2D, 1, 1, DBL, 0, 400, 'D', "F", NULL) \
	X(D2F, 1, 1, DBL, 0, 400, 'F', "D", NULL) \
	X(D2I, 1, 1, DBL, 0, 400, 'I', "D", NULL) \
	X(I2D, 1, 1, DBL, 0, 400, 'D', "I", NULL) \
	X(D2U, 1, 1, DBL, 0, 400, 'U', "D", NULL) \
	X(U2D, 1, 1, DBL, 0, 400, 'D', "U", NULL) \
	X(DABS, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DNEG, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DADD, 1, 2, DBL, 0, 400, 'D', "DD", NULL) \
	X(DMUL, 1, 2, DBL, 0, 400, 'D', "DD", NULL) \
	X(DDIV, 1, 2, DBL, 0, 400, 'D', "DD", NULL) \
	X(DMAX, 1, 2, DBL, 0, 400, 'D', "DD", NULL) \
	X(DMIN, 1, 2, DBL, 0, 400, 'D', "DD", NULL) \
	X(DSLT, 1, 2, DBL, 0, 400, 'U', "DD", NULL) \
	X(DSGE, 1, 2, DBL, 0, 400, 'U', "DD", NULL) \
	X(DSEQ, 1, 2, DBL, 0, 400, 'U', "DD", NULL) \
	X(DSNE, 1, 2, DBL, 0, 400, 'U', "DD", NULL) \
	X(DRCP, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DSQRT, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DRSQ, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DMAD, 1, 3, DBL, 0, 400, 'D', "DDD", NULL) \
	X(DFMA, 1, 3, DBL, 0, 400, 'D', "DDD", NULL) \
	X(DFRAC, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DLDEXP, 1, 2, DBL, 0, 400, 'D', "DI", NULL) \
	X(DFRACEXP, 2, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DTRUNC, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DCEIL, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DFLR, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DROUND, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(DSSG, 1, 1, DBL, 0, 400, 'D', "D", NULL) \
	X(F2U64, 1, 1, NONE, 0, 400, 'L', "", NULL) \
	X(F2I64, 1, 1, NONE, 0, 400, 'K', "", NULL) \
	X(U2I64, 1, 1, NONE, 0, 400, 'K', "", NULL) \
	X(I2I64, 1, 1, NONE, 0, 400, 'K', "", NULL) \
	X(D2U64, 1, 1, NONE, 0, 400, 'L', "", NULL) \
	X(D2I64, 1, 1, NONE, 0, 400, 'K', "", NULL) \
	X(U642F, 1, 1, NONE, 0, 400, 'F', "", NULL) \
	X(I642F, 1, 1, NONE, 0, 400, 'F', "", NULL) \
	X(U642D, 1, 1, NONE, 0, 400, 'D', "", NULL) \
	X(I642D, 1, 1, NONE, 0, 400, 'D', "", NULL) \
	X(U64SEQ, 1, 2, NONE, 0, 400, 'U', "", NULL) \
	X(U64SNE, 1, 2, NONE, 0, 400, 'U', "", NULL) \
	X(I64SLT, 1, 2, NONE, 0, 400, 'U', "", NULL) \
	X(U64SLT, 1, 2, NONE, 0, 400, 'U', "", NULL) \
	X(I64SGE, 1, 2, NONE, 0, 400, 'U', "", NULL) \
	X(U64SGE, 1, 2, NONE, 0, 400, 'U', "", NULL) \
	X(I64MIN, 1, 2, NONE, 0, 400, 'K', "", NULL) \
	X(U64MIN, 1, 2, NONE, 0, 400, 'L', "", NULL) \
	X(I64MAX, 1, 2, NONE, 0, 400, 'K', "", NULL) \
	X(U64MAX, 1, 2, NONE, 0, 400, 'L', "", NULL) \
	X(I64ABS, 1, 1, NONE, 0, 400, 'K', "", NULL) \
	X(I64SSG, 1, 1, NONE, 0, 400, 'K', "", NULL) \
	X(I64NEG, 1, 1, NONE, 0, 400, 'K', "", NULL) \
	X(U64ADD, 1, 2, NONE, 0, 400, 'L', "", NULL) \
	X(U64MUL, 1, 2, NONE, 0, 400, 'L', "", NULL) \
	X(U64SHL, 1, 2, NONE, 0, 400, 'L', "", NULL) \
	X(I64SHR, 1, 2, NONE, 0, 400, 'K', "", NULL) \
	X(U64SHR, 1, 2, NONE, 0, 400, 'L', "", NULL) \
	X(I64DIV, 1, 2, NONE, 0, 400, 'K', "", NULL) \
	X(U64DIV, 1, 2, NONE, 0, 400, 'L', "", NULL) \
	X(I64MOD, 1, 2, NONE, 0, 400, 'K', "", NULL) \
	X(U64MOD, 1, 2, NONE, 0, 400, 'L', "", NULL)
/* clang-format on */

# Makes one CPU capability's kernel objects safe to link beside the baseline ones (CMakeLists.txt):
# links them into one relocatable object (ld -r) and renames every weak function and vtable in it
# that is not already named by its capability namespace. Those are the copies of inline functions
# and templates (std::vector's, rb::str's, an exception's destructor) that the compiler emitted
# with AVX2 or AVX-512 instructions; under their own names the linker could keep them for every
# caller, and a CPU without those instructions would crash in baseline code. Renamed, they serve
# only the capability's own kernels, which run through its table.
# In: LD, NM, READELF, OBJCOPY, CAP (avx2, avx512), OBJECTS (a list), OUT.
execute_process(COMMAND ${LD} -r -o ${OUT}.partial.o ${OBJECTS} COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${NM} --defined-only ${OUT}.partial.o OUTPUT_VARIABLE symbols COMMAND_ERROR_IS_FATAL ANY)
string(REGEX MATCHALL "[^\n]+" lines "${symbols}")
set(renames "")
foreach(line IN LISTS lines)
  # W: a weak function; V: a weak object, of which only vtables (and construction vtables, VTTs)
  # point at code. Other weak objects (static locals, inline variables, typeinfo) keep one identity.
  set(sym "")
  if(line MATCHES "^[0-9a-f]+ W ([^ ]+)$")
    set(sym "${CMAKE_MATCH_1}")
  elseif(line MATCHES "^[0-9a-f]+ V (_ZT[VCT][^ ]+)$")
    set(sym "${CMAKE_MATCH_1}")
  endif()
  if(sym AND NOT sym MATCHES "cap_${CAP}")
    string(APPEND renames "${sym} ${sym}.rb_${CAP}\n")
  endif()
endforeach()
# A COMDAT group (one per inline function or template instance) is kept once per link by its
# signature's name: every group keyed by a shared name gets a private one, or the linker would drop
# it as a duplicate of the baseline's and leave the renamed functions in it undefined. (A destructor's
# group, D5, names no function of its own.)
execute_process(COMMAND ${READELF} -g -W ${OUT}.partial.o OUTPUT_VARIABLE groups COMMAND_ERROR_IS_FATAL ANY)
string(REGEX MATCHALL "[^\n]+" group_lines "${groups}")
foreach(line IN LISTS group_lines)
  # COMDAT group section [    1] `.group' [SIGNATURE] contains 4 sections:
  string(FIND "${line}" "' [" open)
  string(FIND "${line}" "] contains" close)
  if(line MATCHES "^COMDAT group section" AND open GREATER 0 AND close GREATER open)
    math(EXPR first "${open} + 3")
    math(EXPR length "${close} - ${first}")
    string(SUBSTRING "${line}" ${first} ${length} sym)
    string(FIND "\n${renames}" "\n${sym} " known)
    if(NOT sym MATCHES "cap_${CAP}" AND known EQUAL -1)
      string(APPEND renames "${sym} ${sym}.rb_${CAP}\n")
    endif()
  endif()
endforeach()
file(WRITE ${OUT}.renames "${renames}")
execute_process(COMMAND ${OBJCOPY} --redefine-syms=${OUT}.renames ${OUT}.partial.o ${OUT} COMMAND_ERROR_IS_FATAL ANY)

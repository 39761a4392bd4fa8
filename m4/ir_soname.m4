# IR_SONAME(NAME, LIBS, FUNCTION): the soname of the library that LIBS
# links FUNCTION from, defined as NAME_SONAME for dlopen()
# (src/lazylib.h): a program calling FUNCTION is linked with LIBS and
# its NEEDED entries are read back, so the soname is the one the
# build would have linked against.
AC_DEFUN([IR_SONAME], [
AC_REQUIRE([IR_PROG_OBJDUMP])
AC_CACHE_CHECK([the soname that provides $3], [ir_cv_soname_$1], [
  ir_save_LIBS=$LIBS
  LIBS="$2 $LIBS"
  ir_cv_soname_$1=
  AC_LINK_IFELSE([AC_LANG_CALL([], [$3])], [
    ir_needed=`$OBJDUMP -p conftest$EXEEXT 2>/dev/null |
      awk '$[]1 == "NEEDED" { print $[]2 }'`
    for ir_so in $ir_needed; do
      # The first NEEDED entry among LIBS's own libraries.
      for ir_l in $2; do
        case $ir_l in
        -l*) case $ir_so in lib`expr "x$ir_l" : 'x-l\(.*\)'`.so*)
          test -n "$ir_cv_soname_$1" || ir_cv_soname_$1=$ir_so ;; esac ;;
        esac
      done
    done])
  LIBS=$ir_save_LIBS])
AS_IF([test -z "$ir_cv_soname_$1"],
  [AC_MSG_ERROR([cannot tell the soname of the library providing $3 ($2)])])
AC_DEFINE_UNQUOTED([$1_SONAME], ["$ir_cv_soname_$1"],
  [soname of the library providing $3, opened at first use])
])

AC_DEFUN([IR_PROG_OBJDUMP], [
AC_CHECK_TOOL([OBJDUMP], [objdump], [no])
AS_IF([test "x$OBJDUMP" = xno],
  [AC_MSG_ERROR([objdump not found: apt-get install binutils])])
])

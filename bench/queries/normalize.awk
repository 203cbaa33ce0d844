# Normalizes a CSV result for comparison between engines: drops the header
# line, removes CSV quotes (no result holds a comma), rounds every number
# with a fraction or an exponent to 6 significant digits; bench/run.sh then
# sorts the rows (LC_ALL=C sort).
BEGIN { FS = OFS = "," }
NR == 1 { next }
{
  for (i = 1; i <= NF; i++) {
    if ($i ~ /^".*"$/) {
      $i = substr($i, 2, length($i) - 2)
      gsub(/""/, "\"", $i)
    }
    if ($i ~ /^-?[0-9]*\.[0-9]+([eE][-+]?[0-9]+)?$/ || $i ~ /^-?[0-9]+[eE][-+]?[0-9]+$/)
      $i = sprintf("%.6g", $i + 0)
  }
  print
}

node {
  if (x {
    echo 'a'
  }
  def a = b ? c
  echo 'b'
}

node {
  def 'a name that should have been an identifier' = 1
}

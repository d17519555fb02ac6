node {
  sh(script: , returnStdout: true)
  def x = [1, 2
  echo 'a'
}

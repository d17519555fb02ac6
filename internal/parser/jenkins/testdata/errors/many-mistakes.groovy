node {
  sh 'x' ) )
  sh 'y' ]
  ]
  )
  sh 'z' }
  }
}
}
)
]

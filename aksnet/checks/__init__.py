"""aksnet/checks"""
